#pragma once
// One request/response exchange with an upstream over a pooled connection. The response body is
// read incrementally, so streams are forwarded as they arrive and whole bodies use the same path.

#include <array>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "client/http_response.hpp"
#include "client/propagated_headers.hpp"
#include "client/upstream_pool.hpp"
#include "core/async.hpp"
#include "core/chunked_decoder.hpp"
#include "providers/adapter.hpp"

namespace switchyard {

class UpstreamExchange {
 public:
  explicit UpstreamExchange(UpstreamPool& pool) : pool_(pool) {
    head_.headers.reserve(16);  // one allocation instead of one per doubling
  }
  ~UpstreamExchange();

  // Connects (or reuses), sends the request and reads the response head. `timeout` bounds all
  // of that: it is the time to first byte. The propagated headers' views must outlive it.
  Task<Result<void>> start(const Url& base, UpstreamRequest&& request,
                           const PropagatedHeaders& propagated, std::chrono::milliseconds timeout) {
    requestBody_ = std::move(request.body);
    return send(base, request, requestBody_, propagated, timeout);
  }
  // The same with a body sent from where it is rather than copied (the trace exporter's batch,
  // up to a megabyte, in a buffer it reuses); it must stay valid until start() completes.
  // request.body is not used.
  Task<Result<void>> start(const Url& base, const UpstreamRequest& request, std::string_view body,
                           std::chrono::milliseconds timeout) {
    return send(base, request, body, kNoPropagatedHeaders, timeout);
  }

  int status() const { return status_; }
  const std::string& retryAfter() const { return retryAfter_; }
  // Whether the answer's Content-Type is JSON (a stream must be text/event-stream).
  bool jsonAnswer() const { return jsonAnswer_; }
  // The answer's Content-Type (its first 127 bytes), for answers forwarded in the upstream's own
  // type (audio, a transcript as text). Kept in place: a copy per answer would allocate.
  std::string_view contentType() const { return {contentType_.data(), contentTypeSize_}; }

  // Next piece of the body, waiting at most `idleTimeout`; an empty view means the body ended.
  Task<Result<std::string_view>> readSome(std::chrono::milliseconds idleTimeout);
  // The whole (rest of the) body, bounded in time and size.
  Task<Result<std::string>> readAll(std::chrono::milliseconds timeout, size_t limit);
  // The same without waiting, when the whole body is already here (a Content-Length answer that
  // came with its head, as small answers do); nothing when readAll has to wait for more.
  std::optional<Result<std::string>> bufferedBody(size_t limit);

  // Gives the connection back to the pool when the response was read to its end and the
  // upstream allows keep-alive; closes it otherwise.
  void finish();
  // Closes the connection now; any pending read or write completes with an error, a start()
  // still to come or still connecting gives up, and the connection is never pooled again. Used
  // when the client went away or another attempt answered, to stop the upstream generating
  // tokens nobody reads.
  void abort();

 private:
  static constexpr PropagatedHeaders kNoPropagatedHeaders{};

  // start(): a plain function around this coroutine, so that neither form costs a second frame.
  Task<Result<void>> send(const Url& base, const UpstreamRequest& request, std::string_view body,
                          const PropagatedHeaders& propagated, std::chrono::milliseconds timeout);
  // Parses the response head when it is all in conn_'s buffer (skipping 1xx interim answers):
  // true with `result` set, or false when more must be read.
  bool takeHead(Result<void>& result);
  Error ioError(std::string_view what, const boost::system::error_code& ec) const;
  Error abortedError();  // closes the connection when one was acquired after abort()

  UpstreamPool& pool_;
  std::unique_ptr<UpstreamConnection> conn_;
  // The serialized request, kept for the stale-connection retry. Written by hand: Beast's
  // generic serializer is a measurable share of a proxy's per-request cost.
  std::string requestHead_;
  std::string requestBody_;  // start(UpstreamRequest&&)'s body
  ResponseHead head_;
  bool answered_ = false;  // some response bytes arrived on this connection
  int status_ = 0;
  std::string retryAfter_;
  bool jsonAnswer_ = false;
  std::array<char, 127> contentType_{};
  uint8_t contentTypeSize_ = 0;
  uint64_t remaining_ = 0;                 // BodyFraming::kLength: bytes still to come
  std::optional<ChunkedDecoder> chunked_;  // BodyFraming::kChunked
  std::string decoded_;                    // the last piece of a chunked body
  bool ended_ = false;
  bool aborted_ = false;
};

}  // namespace switchyard
