#pragma once
// A write that completes without waiting when the socket's send buffer has room, as it has for
// nearly every response and upstream request. async_write would instead hand its completion to
// the io_context's queue and resume the coroutine from there, a large share of a proxied
// request's own cost. The socket must be in non-blocking mode (socket.non_blocking(true)); that
// flag changes only synchronous calls like this one, never Asio's asynchronous operations.

#include <array>
#include <boost/asio/buffer.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <optional>

#include "core/async.hpp"

namespace switchyard {

// Sends what the socket takes at once and drops it from the front of `buffers`. The outcome when
// the write is settled (all sent: no error; or the socket's error), nothing when the rest has to
// wait for room.
template <size_t N>
std::optional<boost::system::error_code> writeNow(
    TcpSocket& socket, std::array<boost::asio::const_buffer, N>& buffers) {
  boost::system::error_code ec;
  size_t sent = socket.write_some(buffers, ec);
  if (ec && ec != boost::asio::error::would_block && ec != boost::asio::error::try_again) {
    return ec;
  }
  bool all = true;
  for (auto& b : buffers) {
    const size_t taken = std::min(sent, b.size());
    b += taken;
    sent -= taken;
    all = all && b.size() == 0;
  }
  if (all) return boost::system::error_code{};
  return std::nullopt;
}

}  // namespace switchyard
