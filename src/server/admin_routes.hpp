#pragma once
// The admin API over HTTP (the router admits only the master key: stages/auth/route_auth), the
// work itself on the governance admin thread so that no worker waits on the database.

#include <boost/asio/awaitable.hpp>

#include "core/async.hpp"
#include "server/request_router.hpp"

namespace switchyard {

Task<void> handleAdmin(const Snapshot& snapshot, HttpRequest& request, Responder& responder,
                       std::string_view path);

}  // namespace switchyard
