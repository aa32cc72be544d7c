#pragma once
// One keep-alive connection to an upstream origin, plain TCP or TLS, with Beast's timeouts.

#include <boost/asio/ssl.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <chrono>
#include <memory>
#include <string>
#include <variant>

namespace switchyard {

namespace beast = boost::beast;
namespace asio = boost::asio;

class UpstreamConnection {
 public:
  using TlsStream = beast::ssl_stream<beast::tcp_stream>;

  UpstreamConnection(asio::any_io_executor ex, std::string origin);
  UpstreamConnection(asio::any_io_executor ex, asio::ssl::context& tls, std::string origin);

  const std::string& origin() const { return origin_; }
  bool isTls() const { return std::holds_alternative<TlsStream>(stream_); }
  beast::tcp_stream& tcp();
  TlsStream* tls() { return std::get_if<TlsStream>(&stream_); }
  beast::flat_buffer& buffer() { return buffer_; }

  // Runs f(stream) on whichever stream this is; f must return the same type for both.
  template <class F>
  decltype(auto) visit(F&& f) {
    return std::visit(std::forward<F>(f), stream_);
  }

  void expiresAfter(std::chrono::steady_clock::duration d) { tcp().expires_after(d); }
  void close();

  // How many requests this connection has carried; a reused one may have been closed by the
  // server while idle, so a failure before any response byte is retried on a fresh one.
  unsigned uses = 0;
  std::chrono::steady_clock::time_point idleSince;

 private:
  std::string origin_;
  std::variant<beast::tcp_stream, TlsStream> stream_;
  beast::flat_buffer buffer_;
};

}  // namespace switchyard
