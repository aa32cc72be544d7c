#include "client/upstream_connection.hpp"

namespace switchyard {

UpstreamConnection::UpstreamConnection(asio::any_io_executor ex, std::string origin)
    : origin_(std::move(origin)), stream_(std::in_place_type<beast::tcp_stream>, ex) {}

UpstreamConnection::UpstreamConnection(asio::any_io_executor ex, asio::ssl::context& tls,
                                       std::string origin)
    : origin_(std::move(origin)), stream_(std::in_place_type<TlsStream>, ex, tls) {}

beast::tcp_stream& UpstreamConnection::tcp() {
  if (auto* t = std::get_if<TlsStream>(&stream_)) return t->next_layer();
  return std::get<beast::tcp_stream>(stream_);
}

void UpstreamConnection::close() {
  boost::system::error_code ec;
  tcp().socket().shutdown(asio::ip::tcp::socket::shutdown_both, ec);
  tcp().socket().close(ec);
}

}  // namespace switchyard
