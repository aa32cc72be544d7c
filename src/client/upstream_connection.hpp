#pragma once
// One keep-alive connection to an upstream origin, plain TCP or TLS, with its read buffer and its
// deadline (core/deadline: one sweep per pool instead of a timer per operation).

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <chrono>
#include <string>
#include <string_view>
#include <variant>

#include "core/async.hpp"
#include "core/deadline.hpp"
#include "core/read_buffer.hpp"

namespace switchyard {

namespace asio = boost::asio;

class UpstreamConnection {
 public:
  using TlsStream = asio::ssl::stream<TcpSocket>;

  UpstreamConnection(const Executor& ex, DeadlineSweeper& sweeper, std::string origin);
  UpstreamConnection(const Executor& ex, DeadlineSweeper& sweeper, asio::ssl::context& tls,
                     std::string origin);
  UpstreamConnection(const UpstreamConnection&) = delete;
  UpstreamConnection& operator=(const UpstreamConnection&) = delete;

  const std::string& origin() const { return origin_; }
  bool isTls() const { return std::holds_alternative<TlsStream>(stream_); }
  TcpSocket& socket();
  TlsStream* tls() { return std::get_if<TlsStream>(&stream_); }
  Deadline& deadline() { return deadline_; }

  // Runs f(stream) on whichever stream this is; f must return the same type for both.
  template <class F>
  decltype(auto) visit(F&& f) {
    return std::visit(std::forward<F>(f), stream_);
  }

  // Bytes read and not consumed yet; valid until the next read.
  std::string_view buffered() const { return buffer_.data(); }
  void consume(size_t n) { buffer_.consume(n); }

  // One read of what the upstream sent next into the buffer, within the deadline: co_await
  // read(), then pass its result to readDone(), which reports a deadline that passed as
  // asio::error::timed_out. The operation itself is returned: a coroutine around it would cost
  // a frame on every request.
  auto read() {
    const asio::mutable_buffer room = deadline_.readRoom(buffer_.prepare());
    return visit([room](auto& s) { return s.async_read_some(room, kUseTuple); });
  }
  boost::system::error_code readDone(const ReadResult& result);

  void close();

  // How many requests this connection has carried; a reused one may have been closed by the
  // server while idle, so a failure before any response byte is retried on a fresh one.
  unsigned uses = 0;
  CoarseClock::time_point idleSince;

 private:
  std::string origin_;
  std::variant<TcpSocket, TlsStream> stream_;
  Deadline deadline_;
  ReadBuffer buffer_;
};

}  // namespace switchyard
