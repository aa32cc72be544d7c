#include "client/upstream_connection.hpp"

namespace switchyard {

UpstreamConnection::UpstreamConnection(const asio::any_io_executor& ex, DeadlineSweeper& sweeper,
                                       std::string origin)
    : origin_(std::move(origin)),
      stream_(std::in_place_type<asio::ip::tcp::socket>, ex),
      deadline_(sweeper, socket()) {}

UpstreamConnection::UpstreamConnection(const asio::any_io_executor& ex, DeadlineSweeper& sweeper,
                                       asio::ssl::context& tls, std::string origin)
    : origin_(std::move(origin)),
      stream_(std::in_place_type<TlsStream>, ex, tls),
      deadline_(sweeper, socket()) {}

asio::ip::tcp::socket& UpstreamConnection::socket() {
  if (auto* t = std::get_if<TlsStream>(&stream_)) return t->next_layer();
  return std::get<asio::ip::tcp::socket>(stream_);
}

boost::system::error_code UpstreamConnection::readDone(const ReadResult& result) {
  const auto [ec, n] = result;
  buffer_.commit(n);
  if (deadline_.expired() && (ec || n == 0)) return asio::error::timed_out;
  return ec;
}

void UpstreamConnection::close() {
  boost::system::error_code ec;
  socket().shutdown(asio::ip::tcp::socket::shutdown_both, ec);
  socket().close(ec);
}

}  // namespace switchyard
