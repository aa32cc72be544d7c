#include "client/upstream_connection.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace switchyard {

namespace {
constexpr auto kUseTuple = asio::as_tuple(asio::use_awaitable);
}

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

asio::awaitable<boost::system::error_code> UpstreamConnection::readMore() {
  if (deadline_.expired()) co_return asio::error::timed_out;
  const asio::mutable_buffer room = buffer_.prepare();
  auto [ec, n] = co_await visit([&](auto& s) { return s.async_read_some(room, kUseTuple); });
  buffer_.commit(n);
  if (ec && deadline_.expired()) ec = asio::error::timed_out;
  co_return ec;
}

void UpstreamConnection::close() {
  boost::system::error_code ec;
  socket().shutdown(asio::ip::tcp::socket::shutdown_both, ec);
  socket().close(ec);
}

}  // namespace switchyard
