#include "server/responder.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http.hpp>

namespace switchyard {

namespace http = beast::http;
namespace asio = boost::asio;

namespace {
constexpr auto kUseTuple = asio::as_tuple(asio::use_awaitable);
}

asio::awaitable<bool> Responder::send(int status, std::string&& body,
                                      std::string_view contentType) {
  http::response<http::string_body> res{static_cast<http::status>(status), version_};
  res.set(http::field::server, "switchyard");
  res.set(http::field::content_type, contentType);
  for (const auto& [name, value] : headers_) res.set(name, value);
  res.keep_alive(keepAlive_);
  res.body() = std::move(body);
  res.prepare_payload();
  started_ = true;
  status_ = status;
  stream_.expires_after(kWriteTimeout);
  auto [ec, n] = co_await http::async_write(stream_, res, kUseTuple);
  co_return !ec;
}

asio::awaitable<bool> Responder::sendError(const Error& error, InboundFormat format) {
  if (error.retryAfterSeconds > 0)
    addHeader("retry-after", std::to_string(error.retryAfterSeconds));
  std::string body =
      format == InboundFormat::kAnthropic ? error.toAnthropicJson() : error.toOpenAiJson();
  co_return co_await send(error.status, std::move(body));
}

asio::awaitable<bool> Responder::beginStream() {
  http::response<http::empty_body> res{http::status::ok, version_};
  res.set(http::field::server, "switchyard");
  res.set(http::field::content_type, "text/event-stream");
  res.set(http::field::cache_control, "no-cache");
  for (const auto& [name, value] : headers_) res.set(name, value);
  // HTTP/1.0 has no chunked encoding: the stream ends when the connection closes.
  chunked_ = version_ >= 11;
  if (!chunked_) keepAlive_ = false;
  res.keep_alive(keepAlive_);
  res.chunked(chunked_);
  started_ = true;
  status_ = 200;
  http::response_serializer<http::empty_body> sr{res};
  stream_.expires_after(kWriteTimeout);
  auto [ec, n] = co_await http::async_write_header(stream_, sr, kUseTuple);
  co_return !ec;
}

asio::awaitable<bool> Responder::streamData(std::string_view data) {
  if (data.empty()) co_return true;
  stream_.expires_after(kWriteTimeout);
  if (chunked_) {
    const auto chunk = http::make_chunk(asio::buffer(data));
    auto [ec, n] = co_await asio::async_write(stream_, chunk, kUseTuple);
    co_return !ec;
  }
  auto [ec, n] = co_await asio::async_write(stream_, asio::buffer(data), kUseTuple);
  co_return !ec;
}

asio::awaitable<bool> Responder::endStream() {
  if (!chunked_) co_return true;
  stream_.expires_after(kWriteTimeout);
  const auto last = http::make_chunk_last();
  auto [ec, n] = co_await asio::async_write(stream_, last, kUseTuple);
  co_return !ec;
}

}  // namespace switchyard
