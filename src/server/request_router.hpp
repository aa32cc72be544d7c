#pragma once
// Maps an HTTP request to its handler: health, models, or the proxied model endpoints.

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <memory>

#include "config/snapshot.hpp"
#include "core/async.hpp"
#include "core/error.hpp"
#include "server/http_request.hpp"

namespace switchyard {

class Worker;
class Responder;

Task<void> handleRequest(Worker& worker, const std::shared_ptr<const Snapshot>& snapshot,
                         HttpRequest& request, TcpSocket& client, Responder& responder);

// 405 for a method the path does not take.
Error methodNotAllowed(std::string_view path);

// The key a client presented: "Authorization: Bearer K", "api-key: K" or "x-api-key: K".
std::string presentedKey(const HttpRequest& request);

}  // namespace switchyard
