#pragma once
// Who may use the admin UI, and how its session stands in for the master key on the admin
// routes (stages/auth/route_auth's kMasterKey): the master key, or a virtual key whose metadata
// (or whose user's) says "user_role": "proxy_admin", LiteLLM's admin role.

#include <optional>
#include <string>

#include "config/snapshot.hpp"
#include "core/error.hpp"
#include "server/http_request.hpp"
#include "server/ui/ui_sessions.hpp"

namespace switchyard {

class Registry;
struct Principal;

inline constexpr std::string_view kAdminRole = "proxy_admin";

int64_t unixNowMs();
std::string masterKeyHash(std::string_view masterKey);

// Whether `key` may administer: not blocked or expired, with the admin role in its metadata or
// in its user's.
bool isAdminKey(const Registry& registry, const Principal& key, int64_t nowMs);

// The session the request's cookie names, while it is still valid for this snapshot (the master
// key it logged in with is still the master key; its virtual key is still an admin key).
std::optional<UiSession> validSession(UiSessions& sessions, const Snapshot& snapshot,
                                      const HttpRequest& request, int64_t nowMs);

// Whether the request carries a session cookie at all (else the route's key rule applies).
bool hasSessionCookie(const HttpRequest& request);

// The session's verdict on a master-key route: nullopt when admitted. GET and HEAD need a valid
// session; every other method also its CSRF token and a same-origin Origin (ui_sessions.hpp).
std::optional<Error> authorizeBySession(UiSessions& sessions, const Snapshot& snapshot,
                                        const HttpRequest& request);

// The browser reached the gateway over TLS: the gateway listens in plain HTTP, so TLS is a
// terminating proxy's, which says so in X-Forwarded-Proto.
bool viaTls(const HttpRequest& request);

}  // namespace switchyard
