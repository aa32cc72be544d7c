#include "client/upstream_exchange.hpp"

#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http.hpp>

namespace switchyard {

namespace http = beast::http;

namespace {

constexpr auto kUseTuple = asio::as_tuple(asio::use_awaitable);
constexpr size_t kMaxHeaderBytes = 64 * 1024;

Error ioError(const UpstreamConnection& conn, std::string_view what,
              const boost::system::error_code& ec) {
  if (ec == beast::error::timeout) {
    return Error::make(ErrorClass::kTimeout,
                       "Upstream " + conn.origin() + " timed out " + std::string(what), {},
                       "upstream_timeout");
  }
  return Error::make(
      ErrorClass::kBadUpstream,
      "Upstream " + conn.origin() + " failed " + std::string(what) + ": " + ec.message(), {},
      "upstream_connection_error");
}

// Header values come from configuration and clients: CR and LF are dropped so that no value can
// end the header block early.
void appendHeader(std::string& out, std::string_view name, std::string_view value) {
  out.append(name).append(": ");
  for (char c : value) {
    if (c != '\r' && c != '\n') out.push_back(c);
  }
  out.append("\r\n");
}

}  // namespace

UpstreamExchange::~UpstreamExchange() {
  if (conn_) conn_->close();
}

asio::awaitable<Result<void>> UpstreamExchange::start(const Url& base, UpstreamRequest&& request,
                                                      std::string_view requestId,
                                                      std::chrono::milliseconds timeout) {
  requestBody_ = std::move(request.body);
  std::string& h = requestHead_;
  h.clear();
  h.reserve(256 + request.target.size());
  h.append("POST ").append(request.target).append(" HTTP/1.1\r\nHost: ");
  h.append(base.hostHeader());
  h.append("\r\nUser-Agent: switchyard/" SWITCHYARD_VERSION "\r\nContent-Type: ");
  h.append(request.contentType);
  h.append("\r\nAccept: application/json, text/event-stream\r\n");
  if (!requestId.empty()) appendHeader(h, "x-request-id", requestId);
  for (const auto& [name, value] : request.headers) appendHeader(h, name, value);
  h.append("Content-Length: ").append(std::to_string(requestBody_.size())).append("\r\n\r\n");

  auto conn = co_await pool_.acquire(base);
  if (!conn) co_return conn.error();
  conn_ = std::move(*conn);
  conn_->expiresAfter(timeout);
  const bool reused = conn_->uses > 0;
  auto result = co_await attempt();
  if (!result && reused && result.error().cls != ErrorClass::kTimeout &&
      (!parser_ || !parser_->is_header_done())) {
    // A pooled connection may have been closed by the server while idle: once, on a fresh one.
    // Not after a timeout: that upstream is slow, not gone, and the budget is spent.
    conn_->close();
    auto fresh = co_await pool_.connect(base);
    if (!fresh) co_return fresh.error();
    conn_ = std::move(*fresh);
    conn_->expiresAfter(timeout);
    result = co_await attempt();
  }
  co_return result;
}

asio::awaitable<Result<void>> UpstreamExchange::attempt() {
  parser_.reset();
  const std::array<asio::const_buffer, 2> buffers{asio::buffer(requestHead_),
                                                  asio::buffer(requestBody_)};
  auto [wec, written] =
      co_await conn_->visit([&](auto& s) { return asio::async_write(s, buffers, kUseTuple); });
  if (wec) co_return ioError(*conn_, "while sending the request", wec);
  ++conn_->uses;

  parser_.emplace();
  parser_->header_limit(kMaxHeaderBytes);
  parser_->body_limit(boost::none);  // bounded by readAll's limit and the stream's consumer
  auto [rec, read] = co_await conn_->visit(
      [&](auto& s) { return http::async_read_header(s, conn_->buffer(), *parser_, kUseTuple); });
  if (rec) co_return ioError(*conn_, "before answering", rec);
  const auto& head = parser_->get();
  status_ = static_cast<int>(head.result_int());
  retryAfter_ = std::string(head[http::field::retry_after]);
  contentType_ = std::string(head[http::field::content_type]);
  ended_ = parser_->is_done();
  co_return Result<void>{};
}

asio::awaitable<Result<std::string_view>> UpstreamExchange::readSome(
    std::chrono::milliseconds idleTimeout) {
  if (ended_ || !conn_) co_return std::string_view{};
  auto& body = parser_->get().body();
  body.data = chunk_.data();
  body.size = chunk_.size();
  conn_->expiresAfter(idleTimeout);
  auto [ec, n] = co_await conn_->visit(
      [&](auto& s) { return http::async_read_some(s, conn_->buffer(), *parser_, kUseTuple); });
  if (ec == http::error::need_buffer) ec = {};
  if (ec) co_return ioError(*conn_, "while sending the answer", ec);
  const size_t got = chunk_.size() - body.size;
  ended_ = parser_->is_done();
  if (got == 0 && !ended_) {
    // Only framing was read (chunk headers); ask again rather than signal the end.
    co_return co_await readSome(idleTimeout);
  }
  co_return std::string_view(chunk_.data(), got);
}

asio::awaitable<Result<std::string>> UpstreamExchange::readAll(std::chrono::milliseconds timeout,
                                                               size_t limit) {
  std::string out;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      co_return Error::make(ErrorClass::kTimeout,
                            "Upstream " + conn_->origin() + " timed out sending the body", {},
                            "upstream_timeout");
    }
    auto piece = co_await readSome(left);
    if (!piece) co_return piece.error();
    if (piece->empty()) break;
    if (out.size() + piece->size() > limit) {
      co_return Error::make(ErrorClass::kBadUpstream,
                            "Upstream answer is larger than " + std::to_string(limit) + " bytes",
                            {}, "upstream_response_too_large");
    }
    out.append(*piece);
  }
  co_return out;
}

void UpstreamExchange::finish() {
  if (!conn_) return;
  if (ended_ && parser_ && parser_->keep_alive()) {
    pool_.release(std::move(conn_));
  } else {
    conn_->close();
    conn_.reset();
  }
}

void UpstreamExchange::abort() {
  // Only closes: a read or write may still be pending on the connection and completes with an
  // error; the object itself goes away in finish() or the destructor.
  if (conn_) conn_->close();
}

}  // namespace switchyard
