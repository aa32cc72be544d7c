#pragma once
// A client connection as its worker tracks it: the socket, its deadline, and whether it is
// waiting for a request (idle connections close at once when the gateway drains).

#include <boost/asio/ip/tcp.hpp>
#include <string>

#include "core/async.hpp"
#include "core/deadline.hpp"

namespace switchyard {

struct ClientConnection : AutoUnlinkHook {
  ClientConnection(DeadlineSweeper& sweeper, TcpSocket s)
      : socket(std::move(s)), deadline(sweeper, socket) {}
  ClientConnection(const ClientConnection&) = delete;
  ClientConnection& operator=(const ClientConnection&) = delete;

  TcpSocket socket;
  Deadline deadline;
  bool idle = false;
  // The response head being built and the extra header lines for it, kept for the connection's
  // next responses: a keep-alive connection then builds every head without an allocation.
  std::string responseHead;
  std::string responseHeaders;
};

using ClientConnectionList =
    boost::intrusive::list<ClientConnection, boost::intrusive::constant_time_size<false>>;

}  // namespace switchyard
