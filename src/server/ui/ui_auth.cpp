#include "server/ui/ui_auth.hpp"

#include <openssl/evp.h>

#include <boost/json.hpp>
#include <chrono>

#include "governance/governance.hpp"

namespace switchyard {

namespace http = boost::beast::http;

int64_t unixNowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string masterKeyHash(std::string_view masterKey) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned length = 0;
  EVP_Digest(masterKey.data(), masterKey.size(), digest, &length, EVP_sha256(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned i = 0; i < length; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 15];
  }
  return out;
}

namespace {

bool hasAdminRole(std::string_view metadata) {
  boost::system::error_code ec;
  const auto v = boost::json::parse(metadata, ec);
  if (ec || !v.is_object()) return false;
  const auto* role = v.as_object().if_contains("user_role");
  return role && role->is_string() && role->get_string() == kAdminRole;
}

Error unauthorized(std::string message, std::string_view code) {
  return Error::make(ErrorClass::kUnauthorized, std::move(message), {}, std::string(code));
}

}  // namespace

bool isAdminKey(const Registry& registry, const Principal& key, int64_t nowMs) {
  if (key.blocked || (key.expiresAt != 0 && key.expiresAt <= nowMs)) return false;
  if (hasAdminRole(key.metadata)) return true;
  if (key.userId.empty()) return false;
  const auto user = registry.find(PrincipalKind::kUser, key.userId);
  return user && !user->blocked && hasAdminRole(user->metadata);
}

bool hasSessionCookie(const HttpRequest& request) {
  return !cookieValue(request[http::field::cookie], kUiSessionCookie).empty();
}

std::optional<UiSession> validSession(UiSessions& sessions, const Snapshot& snapshot,
                                      const HttpRequest& request, int64_t nowMs) {
  const std::string_view id = cookieValue(request[http::field::cookie], kUiSessionCookie);
  auto session = sessions.find(id, nowMs);
  if (!session) return std::nullopt;
  bool valid = false;
  if (session->keyId.empty()) {
    valid =
        !snapshot.masterKey.empty() && session->masterKeyHash == masterKeyHash(snapshot.masterKey);
  } else if (Governance* g = snapshot.governanceService.get()) {
    const auto key = g->registry().find(PrincipalKind::kKey, session->keyId);
    valid = key && isAdminKey(g->registry(), *key, nowMs);
  }
  if (!valid) {
    sessions.remove(id);
    return std::nullopt;
  }
  return session;
}

std::optional<Error> authorizeBySession(UiSessions& sessions, const Snapshot& snapshot,
                                        const HttpRequest& request) {
  auto session = validSession(sessions, snapshot, request, unixNowMs());
  if (!session) {
    return unauthorized("The admin UI session has ended or is not valid: log in again.",
                        "session_invalid");
  }
  const auto m = request.method();
  if (m == http::verb::get || m == http::verb::head) return std::nullopt;
  if (!csrfAdmits(*session, request[kCsrfHeader], request[http::field::origin],
                  request[http::field::host])) {
    return Error::make(ErrorClass::kForbidden,
                       "Cross-site request refused: a session's POST, PUT or DELETE needs its "
                       "x-csrf-token header and a same-origin Origin.",
                       {}, "csrf_refused");
  }
  return std::nullopt;
}

bool viaTls(const HttpRequest& request) {
  const std::string_view proto = request["x-forwarded-proto"];
  return proto == "https" || proto == "HTTPS";
}

}  // namespace switchyard
