#include "client/upstream_connection.hpp"
#include "core/async.hpp"

namespace switchyard {

UpstreamConnection::UpstreamConnection(const Executor& ex, DeadlineSweeper& sweeper,
                                       std::string origin)
    : origin_(std::move(origin)),
      stream_(std::in_place_type<TcpSocket>, ex),
      deadline_(sweeper, socket()) {}

UpstreamConnection::UpstreamConnection(const Executor& ex, DeadlineSweeper& sweeper,
                                       asio::ssl::context& tls, std::string origin)
    : origin_(std::move(origin)),
      stream_(std::in_place_type<TlsStream>, ex, tls),
      deadline_(sweeper, socket()) {}

TcpSocket& UpstreamConnection::socket() {
  if (auto* t = std::get_if<TlsStream>(&stream_)) return t->next_layer();
  return std::get<TcpSocket>(stream_);
}

boost::system::error_code UpstreamConnection::readDone(const ReadResult& result) {
  const auto [ec, n] = result;
  buffer_.commit(n);
  if (deadline_.readTimedOut(ec, n)) return asio::error::timed_out;
  return ec;
}

void UpstreamConnection::close() {
  boost::system::error_code ec;
  socket().shutdown(TcpSocket::shutdown_both, ec);
  socket().close(ec);
}

}  // namespace switchyard
