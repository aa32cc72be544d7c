#pragma once
// A client connection as its worker tracks it: the socket, its deadline, and whether it is
// waiting for a request (idle connections close at once when the gateway drains).

#include <boost/asio/ip/tcp.hpp>

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
};

using ClientConnectionList =
    boost::intrusive::list<ClientConnection, boost::intrusive::constant_time_size<false>>;

}  // namespace switchyard
