#pragma once
// The admin UI's own routes: its embedded files at /ui and /ui/* (every path that is not a file
// is the single-page app's, so index.html answers it), and its login: POST /ui/api/login,
// POST /ui/api/logout, GET /ui/api/session. The admin data the UI shows comes from the admin API
// routes, which admit the session in place of the master key (ui_auth.hpp).

#include <string_view>

#include "config/snapshot.hpp"
#include "core/async.hpp"
#include "server/http_request.hpp"
#include "server/ui/ui_sessions.hpp"

namespace switchyard {

class Responder;

bool isUiPath(std::string_view path);

Task<void> serveUi(UiSessions& sessions, const Snapshot& snapshot, HttpRequest& request,
                   Responder& responder, std::string_view path);

}  // namespace switchyard
