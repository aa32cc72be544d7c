#pragma once
// The admin UI's logins: a table of sessions in memory (one per browser login), each named by a
// random id the browser holds in an HttpOnly cookie and carrying its own CSRF token. Only /ui's
// login and the admin routes a session calls touch it, never the model endpoints.

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "server/ui/login_throttle.hpp"

namespace switchyard {

struct UiSession {
  std::string csrfToken;
  // Who logged in: empty for the master key, else the virtual key's id (its hash).
  std::string keyId;
  // SHA-256 of the master key it logged in with, so that a reload that changes the master key
  // ends its sessions.
  std::string masterKeyHash;
  int64_t expiresAtMs = 0;
};

class UiSessions {
 public:
  static constexpr int64_t kLifetimeMs = 8 * 3600 * 1000;
  // Beyond this many live sessions the one that expires first makes room.
  static constexpr size_t kMaxSessions = 1024;

  struct Created {
    std::string id;  // the cookie's value
    UiSession session;
  };
  Created create(std::string keyId, std::string masterKeyHash, int64_t nowMs);
  // The session `id` names, unless it expired (then it is forgotten).
  std::optional<UiSession> find(std::string_view id, int64_t nowMs);
  void remove(std::string_view id);
  size_t size() const;
  // Failed logins, counted per client address and for the whole gateway (login_throttle.hpp).
  LoginThrottle& loginThrottle() { return throttle_; }

 private:
  LoginThrottle throttle_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, UiSession> sessions_;
};

inline constexpr std::string_view kUiSessionCookie = "sy_session";
inline constexpr std::string_view kCsrfHeader = "x-csrf-token";

// 32 random bytes, URL-safe base64 without padding (43 characters).
std::string randomUrlToken();

// The value of cookie `name` in a Cookie header; empty when absent.
std::string_view cookieValue(std::string_view cookieHeader, std::string_view name);

// The Set-Cookie value that holds a session (HttpOnly, SameSite=Strict, Path=/, Max-Age;
// Secure when the browser reached the gateway over TLS) and the one that ends it.
std::string sessionCookie(std::string_view id, int64_t maxAgeSeconds, bool secure);
std::string expiredSessionCookie(bool secure);

// Whether a request that changes state may do so with a session: its CSRF header equals the
// session's token (compared in constant time), and its Origin, when the browser sent one, is the
// host it was sent to. Browsers send Origin on every cross-site POST/DELETE, and another site
// cannot read or set the token, so a forged request fails one or the other.
bool csrfAdmits(const UiSession& session, std::string_view csrfHeader, std::string_view origin,
                std::string_view host);
// Origin (when present) names `host`: "http://h:p" or "https://h:p" for Host "h:p".
bool sameOrigin(std::string_view origin, std::string_view host);

}  // namespace switchyard
