#pragma once
// Maps an HTTP request to its handler: health, models, or the proxied model endpoints.

#include <boost/asio/awaitable.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <memory>

#include "config/snapshot.hpp"

namespace switchyard {

class Worker;
class Responder;

using HttpRequest = boost::beast::http::request<boost::beast::http::string_body>;

boost::asio::awaitable<void> handleRequest(Worker& worker,
                                           const std::shared_ptr<const Snapshot>& snapshot,
                                           HttpRequest& request, boost::beast::tcp_stream& stream,
                                           Responder& responder);

// The key a client presented: "Authorization: Bearer K", "api-key: K" or "x-api-key: K".
std::string presentedKey(const HttpRequest& request);

}  // namespace switchyard
