#include "server/responder.hpp"

#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/status.hpp>
#include <charconv>

#include "core/async.hpp"
#include "core/http_fields.hpp"
#include "core/write_now.hpp"

namespace switchyard {

namespace http = boost::beast::http;
namespace asio = boost::asio;

namespace {

void appendNumber(std::string& out, size_t n, int base = 10) {
  char digits[24];
  auto [end, ec] = std::to_chars(digits, digits + sizeof digits, n, base);
  out.append(digits, end);
}

}  // namespace

template <size_t N>
Task<bool> Responder::writeRest(std::array<asio::const_buffer, N> buffers) {
  conn_.deadline.expiresAfter(kWriteTimeout);
  auto [ec, n] = co_await asio::async_write(conn_.socket, buffers, kUseTuple);
  // Disarmed at once: a stream may wait on its upstream far longer than one write may take.
  conn_.deadline.expiresNever();
  co_return !ec;
}

void Responder::addHeader(std::string_view name, std::string_view value) {
  addHeaders({{name, value}});
}

void Responder::addHeaders(std::initializer_list<HttpHeader> headers) {
  if (extraHeaders_.capacity() < 384) extraHeaders_.reserve(384);  // room for the usual headers
  appendHeaderLines(extraHeaders_, headers);
}

std::string& Responder::head(int status, std::string_view contentType, bool chunked) {
  using namespace std::string_view_literals;
  std::string& h = conn_.responseHead;
  h.clear();
  h.reserve(160 + extraHeaders_.size());
  h.append(version_ >= 11 ? "HTTP/1.1 "sv : "HTTP/1.0 "sv);
  appendNumber(h, static_cast<size_t>(status));
  h.push_back(' ');
  h.append(http::obsolete_reason(static_cast<http::status>(status)));
  h.append("\r\nServer: switchyard\r\nContent-Type: "sv);
  h.append(contentType);
  h.append("\r\n"sv);
  h.append(extraHeaders_);
  if (chunked) h.append("Cache-Control: no-cache\r\nTransfer-Encoding: chunked\r\n"sv);
  // HTTP/1.1 is persistent unless told otherwise; HTTP/1.0 only when told.
  if (version_ >= 11 && !keepAlive_) h.append("Connection: close\r\n"sv);
  if (version_ < 11 && keepAlive_) h.append("Connection: keep-alive\r\n"sv);
  return h;
}

bool Responder::sendNow(int status, std::string&& body, std::string_view contentType) {
  using namespace std::string_view_literals;
  std::string& h = head(status, contentType, false);
  h.append("Content-Length: "sv);
  appendNumber(h, body.size());
  h.append("\r\n\r\n"sv);
  started_ = true;
  status_ = status;
  body_ = std::move(body);
  unsent_ = {asio::buffer(h), asio::buffer(body_)};
  const auto done = writeNow(conn_.socket, unsent_);
  if (done) delivered_ = !*done;
  return done.has_value();
}

Task<bool> Responder::sendRest() { co_return delivered_ = co_await writeRest(unsent_); }

Task<bool> Responder::send(int status, std::string&& body, std::string_view contentType) {
  if (sendNow(status, std::move(body), contentType)) co_return delivered_;
  co_return co_await sendRest();
}

Task<bool> Responder::sendError(const Error& error, InboundFormat format) {
  if (error.retryAfterSeconds > 0)
    addHeader("retry-after", std::to_string(error.retryAfterSeconds));
  std::string body =
      format == InboundFormat::kAnthropic ? error.toAnthropicJson() : error.toOpenAiJson();
  co_return co_await send(error.status, std::move(body));
}

Task<bool> Responder::beginStream() {
  // HTTP/1.0 has no chunked encoding: the stream ends when the connection closes.
  chunked_ = version_ >= 11;
  if (!chunked_) keepAlive_ = false;
  std::string& h = head(200, streamContentType_, chunked_);
  h.append("\r\n", 2);
  started_ = true;
  status_ = 200;
  std::array<asio::const_buffer, 1> buffers{asio::buffer(h)};
  if (auto done = writeNow(conn_.socket, buffers)) co_return !*done;
  co_return co_await writeRest(buffers);
}

Task<bool> Responder::streamData(std::string_view data) {
  if (data.empty()) co_return true;
  if (!chunked_) {
    std::array<asio::const_buffer, 1> buffers{asio::buffer(data)};
    if (auto done = writeNow(conn_.socket, buffers)) co_return !*done;
    co_return co_await writeRest(buffers);
  }
  std::string size;
  appendNumber(size, data.size(), 16);
  size.append("\r\n");
  std::array<asio::const_buffer, 3> buffers{asio::buffer(size), asio::buffer(data),
                                            asio::buffer("\r\n", 2)};
  if (auto done = writeNow(conn_.socket, buffers)) co_return !*done;
  co_return co_await writeRest(buffers);
}

Task<bool> Responder::endStream() {
  if (!chunked_) co_return true;
  std::array<asio::const_buffer, 1> buffers{asio::buffer("0\r\n\r\n", 5)};
  if (auto done = writeNow(conn_.socket, buffers)) co_return !*done;
  co_return co_await writeRest(buffers);
}

}  // namespace switchyard
