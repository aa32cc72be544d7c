#include "server/ui/ui_sessions.hpp"

#include <openssl/rand.h>

#include <algorithm>

#include "server/ui/header_list.hpp"
#include "stages/auth/master_key_auth.hpp"

namespace switchyard {

std::string randomUrlToken() {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  unsigned char raw[33];
  RAND_bytes(raw, sizeof raw);
  std::string out;
  out.reserve(44);
  // 6 bits per character from 3-byte groups: 33 bytes make 44 characters; 43 keep 258 bits.
  for (size_t i = 0; i < sizeof raw; i += 3) {
    const uint32_t v = uint32_t(raw[i]) << 16 | uint32_t(raw[i + 1]) << 8 | raw[i + 2];
    for (int s = 18; s >= 0; s -= 6) out += kAlphabet[(v >> s) & 63];
  }
  out.resize(43);
  return out;
}

UiSessions::Created UiSessions::create(std::string keyId, std::string masterKeyHash,
                                       int64_t nowMs) {
  Created c{randomUrlToken(),
            {randomUrlToken(), std::move(keyId), std::move(masterKeyHash), nowMs + kLifetimeMs}};
  std::lock_guard lock(mutex_);
  std::erase_if(sessions_, [&](const auto& kv) { return kv.second.expiresAtMs <= nowMs; });
  if (sessions_.size() >= kMaxSessions) {
    sessions_.erase(std::min_element(sessions_.begin(), sessions_.end(), [](auto& a, auto& b) {
      return a.second.expiresAtMs < b.second.expiresAtMs;
    }));
  }
  sessions_.emplace(c.id, c.session);
  return c;
}

std::optional<UiSession> UiSessions::find(std::string_view id, int64_t nowMs) {
  if (id.empty()) return std::nullopt;
  std::lock_guard lock(mutex_);
  auto it = sessions_.find(std::string(id));
  if (it == sessions_.end()) return std::nullopt;
  if (it->second.expiresAtMs <= nowMs) {
    sessions_.erase(it);
    return std::nullopt;
  }
  return it->second;
}

void UiSessions::remove(std::string_view id) {
  std::lock_guard lock(mutex_);
  sessions_.erase(std::string(id));
}

size_t UiSessions::size() const {
  std::lock_guard lock(mutex_);
  return sessions_.size();
}

std::string_view cookieValue(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    const std::string_view pair = nextListItem(header, ';');
    const auto eq = pair.find('=');
    if (eq != std::string_view::npos && pair.substr(0, eq) == name) return pair.substr(eq + 1);
  }
  return {};
}

std::string sessionCookie(std::string_view id, int64_t maxAgeSeconds, bool secure) {
  std::string c(kUiSessionCookie);
  c += '=';
  c += id;
  c += "; Path=/; Max-Age=" + std::to_string(maxAgeSeconds) + "; HttpOnly; SameSite=Strict";
  if (secure) c += "; Secure";
  return c;
}

std::string expiredSessionCookie(bool secure) { return sessionCookie("", 0, secure); }

bool sameOrigin(std::string_view origin, std::string_view host) {
  if (origin.starts_with("http://")) {
    origin.remove_prefix(7);
  } else if (origin.starts_with("https://")) {
    origin.remove_prefix(8);
  } else {
    return false;  // "null" (a sandboxed frame, a file: page) or garbage
  }
  return !host.empty() && origin == host;
}

bool csrfAdmits(const UiSession& session, std::string_view csrfHeader, std::string_view origin,
                std::string_view host) {
  if (csrfHeader.empty() || !constantTimeEquals(csrfHeader, session.csrfToken)) return false;
  return origin.empty() || sameOrigin(origin, host);
}

}  // namespace switchyard
