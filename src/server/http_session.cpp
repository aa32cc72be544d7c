#include "server/http_session.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http.hpp>
#include <optional>

#include "server/request_router.hpp"
#include "server/responder.hpp"
#include "server/worker.hpp"
#include "telemetry/log.hpp"

namespace switchyard {

namespace beast = boost::beast;
namespace http = beast::http;
namespace asio = boost::asio;

namespace {

constexpr auto kUseTuple = asio::as_tuple(asio::use_awaitable);
constexpr size_t kMaxHeaderBytes = 64 * 1024;

// Keeps the gateway's session count and the worker's idle set right on every exit path.
class SessionScope {
 public:
  SessionScope(Worker& w, beast::tcp_stream& s) : worker_(w), stream_(s) {
    worker_.state().activeSessions.fetch_add(1, std::memory_order_relaxed);
    worker_.sessions().insert(&stream_);
  }
  ~SessionScope() {
    setIdle(false);
    worker_.sessions().erase(&stream_);
    worker_.state().activeSessions.fetch_sub(1, std::memory_order_relaxed);
  }
  void setIdle(bool idle) {
    if (idle) {
      worker_.idleSessions().insert(&stream_);
    } else {
      worker_.idleSessions().erase(&stream_);
    }
  }

 private:
  Worker& worker_;
  beast::tcp_stream& stream_;
};

// The client, not an upstream, was too slow: 408, not 504.
Error requestTimeout(std::string message) {
  Error e = Error::make(ErrorClass::kTimeout, std::move(message), {}, "request_timeout");
  e.status = 408;
  return e;
}

Error payloadTooLarge(size_t limit) {
  return Error::make(
      ErrorClass::kPayloadTooLarge,
      "Request body is larger than the limit of " + std::to_string(limit) + " bytes.", {},
      "request_too_large");
}

asio::awaitable<void> sendEarlyError(beast::tcp_stream& stream, unsigned version, const Error& e) {
  Responder responder(stream, version, false);
  co_await responder.sendError(e, InboundFormat::kOpenAi);
}

}  // namespace

asio::awaitable<void> runHttpSession(Worker& worker, asio::ip::tcp::socket socket) {
  beast::tcp_stream stream(std::move(socket));
  boost::system::error_code ignored;
  stream.socket().set_option(asio::ip::tcp::no_delay(true), ignored);
  beast::flat_buffer buffer;
  SessionScope scope(worker, stream);
  bool first = true;

  while (!worker.state().draining.load(std::memory_order_relaxed)) {
    const auto snapshot = worker.snapshot();
    const auto& settings = snapshot->server;
    http::request_parser<http::string_body> parser;
    parser.header_limit(kMaxHeaderBytes);
    parser.body_limit(settings.maxRequestBodyBytes);

    // Idle until the first byte of the next request; a draining gateway closes idle sessions.
    scope.setIdle(true);
    stream.expires_after(first ? settings.headerTimeout : settings.keepAliveTimeout);
    auto [hec, hn] = co_await http::async_read_header(stream, buffer, parser, kUseTuple);
    scope.setIdle(false);
    first = false;
    if (hec) {
      std::optional<Error> answer;
      if (hec == beast::error::timeout && buffer.size() > 0) {
        answer = requestTimeout("Request headers were not received in time.");
      } else if (hec == http::error::body_limit) {
        // A Content-Length over the limit is refused before any of the body is read.
        answer = payloadTooLarge(settings.maxRequestBodyBytes);
      } else if (hec == http::error::header_limit) {
        answer = Error::make(ErrorClass::kBadRequest, "Request headers too large.", {},
                             "headers_too_large");
      } else if (hec != http::error::end_of_stream && hec != beast::error::timeout &&
                 hec != asio::error::operation_aborted && hec != asio::error::connection_reset &&
                 hec != asio::error::bad_descriptor) {
        answer = Error::make(ErrorClass::kBadRequest, "Malformed HTTP request: " + hec.message(),
                             {}, "bad_http");
      }
      if (answer) co_await sendEarlyError(stream, 11, *answer);
      break;
    }
    const unsigned version = parser.get().version();

    if (parser.get()[http::field::expect] == "100-continue") {
      http::response<http::empty_body> cont{http::status::continue_, version};
      stream.expires_after(settings.bodyTimeout);
      auto [cec, cn] = co_await http::async_write(stream, cont, kUseTuple);
      if (cec) break;
    }

    stream.expires_after(settings.bodyTimeout);
    auto [bec, bn] = co_await http::async_read(stream, buffer, parser, kUseTuple);
    if (bec) {
      std::optional<Error> answer;
      if (bec == http::error::body_limit) {
        answer = payloadTooLarge(settings.maxRequestBodyBytes);
      } else if (bec == beast::error::timeout) {
        answer = requestTimeout("Request body was not received in time.");
      }
      if (answer) co_await sendEarlyError(stream, version, *answer);
      break;
    }
    stream.expires_never();

    auto request = parser.release();
    Responder responder(stream, version, request.keep_alive());
    co_await handleRequest(worker, snapshot, request, stream, responder);
    if (!responder.keepAlive()) break;
  }
  stream.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
  stream.close();
}

}  // namespace switchyard
