#include "client/upstream_exchange.hpp"

#include <algorithm>
#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <charconv>
#include <optional>

#include "core/async.hpp"
#include "core/write_now.hpp"

namespace switchyard {

namespace {

constexpr size_t kMaxHeaderBytes = 64 * 1024;

Error answerTooLarge(size_t limit) {
  return Error::make(ErrorClass::kBadUpstream,
                     "Upstream answer is larger than " + std::to_string(limit) + " bytes", {},
                     "upstream_response_too_large");
}

}  // namespace

UpstreamExchange::~UpstreamExchange() {
  if (conn_) conn_->close();
}

Error UpstreamExchange::ioError(std::string_view what, const boost::system::error_code& ec) const {
  if (ec == asio::error::timed_out) {
    return Error::make(ErrorClass::kTimeout,
                       "Upstream " + conn_->origin() + " timed out " + std::string(what), {},
                       "upstream_timeout");
  }
  return Error::make(
      ErrorClass::kBadUpstream,
      "Upstream " + conn_->origin() + " failed " + std::string(what) + ": " + ec.message(), {},
      "upstream_connection_error");
}

Task<Result<void>> UpstreamExchange::send(const Url& base, const UpstreamRequest& request,
                                          std::string_view body,
                                          const PropagatedHeaders& propagated,
                                          std::chrono::milliseconds timeout) {
  std::string& h = requestHead_;
  h.clear();
  // Room for the usual head (with a key, a request id and a trace context) without growing.
  h.reserve(512 + request.target.size());
  // Literals as string_views: their sizes are known here, not measured again on every request.
  using namespace std::string_view_literals;
  h.append(request.method).append(" "sv).append(request.target).append(" HTTP/1.1\r\nHost: "sv);
  h.append(base.hostHeader());
  h.append("\r\nUser-Agent: switchyard/" SWITCHYARD_VERSION "\r\nContent-Type: "sv);
  h.append(request.contentType);
  h.append("\r\nAccept: application/json, text/event-stream\r\n"sv);
  if (!propagated.requestId.empty()) appendHeaderLine(h, "x-request-id", propagated.requestId);
  if (!propagated.traceparent.empty()) appendHeaderLine(h, "traceparent", propagated.traceparent);
  if (!propagated.tracestate.empty()) appendHeaderLine(h, "tracestate", propagated.tracestate);
  for (const auto& [name, value] : request.headers) appendHeaderLine(h, name, value);
  char length[24];
  const char* lengthEnd = std::to_chars(length, length + sizeof length, body.size()).ptr;
  h.append("Content-Length: "sv).append(length, static_cast<size_t>(lengthEnd - length));
  h.append("\r\n\r\n"sv);

  if (aborted_) co_return abortedError();
  // A pooled connection is taken without a coroutine of its own; only a new one waits.
  conn_ = pool_.takeIdle(base);
  if (!conn_) {
    auto conn = co_await pool_.connect(base);
    if (!conn) co_return conn.error();
    conn_ = std::move(*conn);
  }
  if (aborted_) co_return abortedError();
  conn_->deadline().expiresAfter(timeout);
  // Sending and reading the head happen here, not in coroutines of their own: a frame costs more
  // than a small request's sending.
  for (bool retried = false;; retried = true) {
    const bool reused = conn_->uses > 0;
    answered_ = false;
    std::array<asio::const_buffer, 2> buffers{asio::buffer(requestHead_), asio::buffer(body)};
    // TLS records need the stream's own writes; a plain connection usually takes it all at once.
    std::optional<boost::system::error_code> sent;
    if (!conn_->tls()) sent = writeNow(conn_->socket(), buffers);
    if (!sent) {
      auto [wec, written] =
          co_await conn_->visit([&](auto& s) { return asio::async_write(s, buffers, kUseTuple); });
      if (wec && conn_->deadline().expired()) wec = asio::error::timed_out;
      sent = wec;
    }
    Result<void> result;
    if (*sent) {
      result = ioError("while sending the request", *sent);
    } else {
      ++conn_->uses;
      while (!takeHead(result)) {
        const auto read = co_await conn_->read();
        const auto ec = conn_->readDone(read);
        if (!conn_->buffered().empty()) answered_ = true;
        if (ec) {
          result = ioError("before answering", ec);
          break;
        }
      }
    }
    // A pooled connection may have been closed by the server while idle: once, on a fresh one.
    // Not after a timeout: that upstream is slow, not gone, and the budget is spent.
    if (result || retried || !reused || answered_ || aborted_ ||
        result.error().cls == ErrorClass::kTimeout) {
      co_return result;
    }
    conn_->close();
    auto fresh = co_await pool_.connect(base);
    if (!fresh) co_return fresh.error();
    conn_ = std::move(*fresh);
    if (aborted_) co_return abortedError();
    conn_->deadline().expiresAfter(timeout);
  }
}

bool UpstreamExchange::takeHead(Result<void>& result) {
  while (true) {
    const std::string_view data = conn_->buffered();
    const size_t end = data.find("\r\n\r\n");
    if (end == std::string_view::npos) {
      if (data.size() <= kMaxHeaderBytes) return false;
      result = Error::make(ErrorClass::kBadUpstream,
                           "Upstream " + conn_->origin() + " sent response headers over " +
                               std::to_string(kMaxHeaderBytes) + " bytes",
                           {}, "bad_upstream_response");
      return true;
    }
    answered_ = true;
    if (auto parsed = parseResponseHead(data.substr(0, end + 4), head_); !parsed) {
      Error e = parsed.error();
      e.message = "Upstream " + conn_->origin() + " sent a malformed answer: " + e.message;
      result = e;
      return true;
    }
    status_ = head_.status;
    if (status_ >= 100 && status_ < 200) {
      conn_->consume(end + 4);  // an interim answer (100 Continue): the real one follows
      continue;
    }
    retryAfter_ = std::string(head_["retry-after"]);
    const std::string_view contentType = head_["content-type"];
    jsonAnswer_ = contentType.starts_with("application/json");
    contentTypeSize_ = static_cast<uint8_t>(std::min(contentType.size(), contentType_.size()));
    std::copy_n(contentType.data(), contentTypeSize_, contentType_.data());
    conn_->consume(end + 4);
    remaining_ = head_.contentLength;
    chunked_.reset();
    if (head_.framing == BodyFraming::kChunked) chunked_.emplace(SIZE_MAX);
    ended_ = head_.framing == BodyFraming::kNone ||
             (head_.framing == BodyFraming::kLength && remaining_ == 0);
    result = Result<void>{};
    return true;
  }
}

Task<Result<std::string_view>> UpstreamExchange::readSome(std::chrono::milliseconds idleTimeout) {
  if (ended_ || !conn_) co_return std::string_view{};
  conn_->deadline().expiresAfter(idleTimeout);
  while (true) {
    const std::string_view data = conn_->buffered();
    if (!data.empty()) {
      if (head_.framing == BodyFraming::kLength) {
        const size_t n = static_cast<size_t>(std::min<uint64_t>(remaining_, data.size()));
        conn_->consume(n);
        remaining_ -= n;
        ended_ = remaining_ == 0;
        co_return data.substr(0, n);
      }
      if (head_.framing == BodyFraming::kUntilClose) {
        conn_->consume(data.size());
        co_return data;
      }
      decoded_.clear();
      auto used = chunked_->feed(data, decoded_);
      if (!used) {
        co_return Error::make(ErrorClass::kBadUpstream,
                              "Upstream " + conn_->origin() +
                                  " sent a malformed chunked body: " + used.error().message,
                              {}, "bad_upstream_response");
      }
      conn_->consume(*used);
      ended_ = chunked_->done();
      // Only framing was read (chunk headers): read on rather than signal the end.
      if (!decoded_.empty() || ended_) co_return std::string_view(decoded_);
    }
    const auto read = co_await conn_->read();
    const auto ec = conn_->readDone(read);
    if (ec) {
      const bool closed = ec == asio::error::eof || ec == asio::ssl::error::stream_truncated;
      if (closed && head_.framing == BodyFraming::kUntilClose) {
        ended_ = true;
        co_return std::string_view{};
      }
      co_return ioError("while sending the answer", ec);
    }
  }
}

std::optional<Result<std::string>> UpstreamExchange::bufferedBody(size_t limit) {
  if (!conn_) return std::nullopt;
  if (ended_) return Result<std::string>(std::string());
  if (head_.framing != BodyFraming::kLength) return std::nullopt;
  const std::string_view data = conn_->buffered();
  if (data.size() < remaining_) return std::nullopt;
  if (remaining_ > limit) return Result<std::string>(answerTooLarge(limit));
  const size_t n = static_cast<size_t>(remaining_);
  std::string body(data.substr(0, n));
  conn_->consume(n);
  remaining_ = 0;
  ended_ = true;
  return Result<std::string>(std::move(body));
}

Task<Result<std::string>> UpstreamExchange::readAll(std::chrono::milliseconds timeout,
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
    if (out.size() + piece->size() > limit) co_return answerTooLarge(limit);
    out.append(*piece);
  }
  co_return out;
}

void UpstreamExchange::finish() {
  if (!conn_) return;
  conn_->deadline().expiresNever();
  // Bytes beyond the answer mean the upstream is out of step with us: never reuse that.
  if (ended_ && !aborted_ && head_.keepAlive && conn_->buffered().empty()) {
    pool_.release(std::move(conn_));
  } else {
    conn_->close();
    conn_.reset();
  }
}

void UpstreamExchange::abort() {
  // Only closes: a read or write may still be pending on the connection and completes with an
  // error; the object itself goes away in finish() or the destructor.
  aborted_ = true;
  if (conn_) conn_->close();
}

Error UpstreamExchange::abortedError() {
  if (conn_) conn_->close();
  return Error::make(ErrorClass::kBadUpstream, "The upstream exchange was cancelled.", {},
                     "upstream_cancelled");
}

}  // namespace switchyard
