#pragma once
// One client connection: reads requests (bounded in size and time), dispatches them, keeps the
// connection alive between requests, and ends it cleanly when the gateway drains.

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "core/async.hpp"

namespace switchyard {

class Worker;

Task<void> runHttpSession(Worker& worker, TcpSocket socket);

}  // namespace switchyard
