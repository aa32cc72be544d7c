#include "server/ui/ui_routes.hpp"

#include <boost/json.hpp>

#include "governance/admin_api_reply.hpp"
#include "governance/governance.hpp"
#include "server/request_router.hpp"
#include "server/responder.hpp"
#include "server/ui/ui_assets.hpp"
#include "server/ui/ui_auth.hpp"
#include "stages/auth/master_key_auth.hpp"

namespace switchyard {

namespace http = boost::beast::http;
namespace json = boost::json;

namespace {

// The UI loads nothing from elsewhere and runs no inline script; no site may frame it.
constexpr std::string_view kSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

void addSecurityHeaders(Responder& responder) {
  responder.addHeaders({{"content-security-policy", kSecurityPolicy},
                        {"x-content-type-options", "nosniff"},
                        {"x-frame-options", "DENY"},
                        {"referrer-policy", "no-referrer"}});
}

// What a UI route answers, computed before the one write (no temporaries in co_await
// expressions: see Responder).
struct UiReply {
  int status = 200;
  std::string body;
  std::string_view contentType = "application/json";
};

UiReply jsonReply(Responder& responder, int status, const json::object& body) {
  responder.addHeader("cache-control", "no-store");
  return {status, json::serialize(body)};
}

UiReply failure(Responder& responder, const Error& error) {
  responder.addHeader("cache-control", "no-store");
  if (error.retryAfterSeconds > 0) {
    responder.addHeader("retry-after", std::to_string(error.retryAfterSeconds));
  }
  return {error.status, error.toOpenAiJson()};
}

json::object sessionJson(const UiSession& s) {
  return {{"csrf_token", s.csrfToken},
          {"role", s.keyId.empty() ? "master_key" : std::string(kAdminRole)},
          {"expires_at", admin_api::iso(s.expiresAtMs)}};
}

UiReply login(UiSessions& sessions, const Snapshot& snapshot, const HttpRequest& request,
              Responder& responder) {
  // A login from another site would sign the browser in to someone else's session.
  if (const auto origin = request[http::field::origin];
      !origin.empty() && !sameOrigin(origin, request[http::field::host])) {
    return failure(responder, Error::make(ErrorClass::kForbidden, "Cross-site login refused.", {},
                                          "csrf_refused"));
  }
  boost::system::error_code ec;
  const json::value body = json::parse(request.body(), ec);
  const json::value* key = ec || !body.is_object() ? nullptr : body.as_object().if_contains("key");
  if (key == nullptr || !key->is_string() || key->get_string().empty()) {
    return failure(responder, Error::make(ErrorClass::kBadRequest,
                                          "The body must be a JSON object {\"key\": \"sk-...\"}.",
                                          "key", "missing_field"));
  }
  const std::string_view presented = key->get_string();
  const int64_t now = unixNowMs();
  // Checked before the key, and for every key: a throttled right key answered differently from
  // a wrong one would let guessing go on.
  LoginThrottle& throttle = sessions.loginThrottle();
  if (const int64_t waitMs = throttle.waitMs(request.peer(), now); waitMs > 0) {
    Error e = Error::make(ErrorClass::kRateLimited,
                          "Too many failed logins to the admin UI; try again later.", "key",
                          "login_throttled");
    e.retryAfterSeconds = int((waitMs + 999) / 1000);
    return failure(responder, e);
  }
  std::optional<UiSessions::Created> created;
  if (constantTimeEquals(presented, snapshot.masterKey)) {
    created = sessions.create({}, masterKeyHash(snapshot.masterKey), now);
  } else if (Governance* g = snapshot.governanceService.get(); g && presented.starts_with("sk-")) {
    const std::string id = g->hashKey(presented);
    const auto found = g->registry().find(PrincipalKind::kKey, id);
    if (found && isAdminKey(g->registry(), *found, now)) created = sessions.create(id, {}, now);
  }
  if (!created) {
    throttle.recordFailure(request.peer(), now);
    // One answer for an unknown key and a key without the admin role: a login form must not
    // tell which keys exist.
    return failure(responder, Error::make(ErrorClass::kUnauthorized,
                                          "Not the master key or a key with the proxy_admin role.",
                                          "key", "invalid_api_key"));
  }
  responder.addHeader("set-cookie",
                      sessionCookie(created->id, UiSessions::kLifetimeMs / 1000, viaTls(request)));
  return jsonReply(responder, 200, sessionJson(created->session));
}

UiReply asset(const HttpRequest& request, Responder& responder, std::string_view path) {
  std::string_view file = path == "/ui" ? "index.html" : path.substr(4);
  const UiAsset* asset = findUiAsset(file);
  if (asset == nullptr) {
    // A path whose last segment names a file is a missing file; any other is one of the app's
    // own routes (/ui/keys), which index.html renders.
    const std::string_view last = file.substr(file.rfind('/') + 1);
    if (last.find('.') == std::string_view::npos) asset = findUiAsset("index.html");
  }
  if (asset == nullptr) {
    return failure(responder, Error::make(ErrorClass::kNotFound,
                                          "No such file in the admin UI: " + std::string(path), {},
                                          "unknown_route"));
  }
  addSecurityHeaders(responder);
  // Hashed names never change content; index.html is revalidated so a new build shows at once.
  const bool immutable = asset->path.starts_with("assets/");
  responder.addHeaders(
      {{"cache-control", immutable ? "public, max-age=31536000, immutable" : "no-cache"},
       {"etag", asset->etag},
       {"vary", "accept-encoding"}});
  if (request[http::field::if_none_match] == asset->etag) return {304, {}, asset->contentType};
  const UiEncoded encoded = pickEncoding(*asset, request[http::field::accept_encoding]);
  if (!encoded.contentEncoding.empty()) {
    responder.addHeader("content-encoding", encoded.contentEncoding);
  }
  return {200, std::string(encoded.bytes), asset->contentType};
}

UiReply api(UiSessions& sessions, const Snapshot& snapshot, const HttpRequest& request,
            Responder& responder, std::string_view path) {
  const auto method = request.method();
  if (snapshot.masterKey.empty()) {
    return failure(responder, Error::make(ErrorClass::kNotFound,
                                          "The admin UI needs general_settings.master_key.", {},
                                          "admin_disabled"));
  }
  if (path == "/ui/api/login" && method == http::verb::post) {
    return login(sessions, snapshot, request, responder);
  }
  if (path == "/ui/api/session" && method == http::verb::get) {
    if (auto s = validSession(sessions, snapshot, request, unixNowMs())) {
      return jsonReply(responder, 200, sessionJson(*s));
    }
    return failure(responder,
                   Error::make(ErrorClass::kUnauthorized, "Not logged in.", {}, "session_invalid"));
  }
  if (path == "/ui/api/logout" && method == http::verb::post) {
    if (auto refused = authorizeBySession(sessions, snapshot, request)) {
      return failure(responder, *refused);
    }
    sessions.remove(cookieValue(request[http::field::cookie], kUiSessionCookie));
    responder.addHeader("set-cookie", expiredSessionCookie(viaTls(request)));
    return jsonReply(responder, 200, json::object{{"logged_out", true}});
  }
  if (path == "/ui/api/login" || path == "/ui/api/session" || path == "/ui/api/logout") {
    return failure(responder, methodNotAllowed(path));
  }
  return failure(responder,
                 Error::make(ErrorClass::kNotFound, "Unknown route: " + std::string(path), {},
                             "unknown_route"));
}

}  // namespace

bool isUiPath(std::string_view path) { return path == "/ui" || path.starts_with("/ui/"); }

Task<void> serveUi(UiSessions& sessions, const Snapshot& snapshot, HttpRequest& request,
                   Responder& responder, std::string_view path) {
  UiReply reply;
  if (path.starts_with("/ui/api/")) {
    reply = api(sessions, snapshot, request, responder, path);
  } else if (request.method() != http::verb::get) {
    reply = failure(responder, methodNotAllowed(path));
  } else {
    reply = asset(request, responder, path);
  }
  co_await responder.send(reply.status, std::move(reply.body), reply.contentType);
}

}  // namespace switchyard
