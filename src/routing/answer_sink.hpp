#pragma once
// Where the executor's attempts write an answer: the client's connection (server/ClientSink), or
// a buffer (a health check, a cache filler, a test). The executor never knows which; it only
// needs to know whether the answer began, since from then on nothing can be retried elsewhere.

#include <initializer_list>
#include <string>
#include <string_view>

#include "core/async.hpp"
#include "core/http_fields.hpp"

namespace switchyard {

class UpstreamExchange;

class AnswerSink {
 public:
  virtual ~AnswerSink() = default;

  // Response headers, sent with the answer's head.
  virtual void addHeader(std::string_view name, std::string_view value) = 0;
  virtual void addHeaders(std::initializer_list<HttpHeader> headers) = 0;
  // Whether the answer's head went out: a stream that began can only end, not be retried.
  virtual bool started() const = 0;

  // A whole answer in two steps: sendNow() takes what can be written at once and says whether
  // the answer is settled; only when it is not does the caller co_await sendRest(), so a
  // coroutine frame is paid only when there is waiting to do. Each returns false when the
  // reader can no longer be written to.
  virtual bool sendNow(int status, std::string&& body) = 0;
  virtual Task<bool> sendRest() = 0;
  // The Content-Type of the answer to come (whole or streamed) when it is not the client
  // format's own (JSON, or server-sent events): an upstream's audio or text, forwarded as it is.
  virtual void setContentType(std::string_view /*contentType*/) {}
  // A stream: the head, pieces of the client format's bytes, the end.
  virtual Task<bool> beginStream() = 0;
  virtual Task<bool> streamData(std::string_view data) = 0;
  virtual Task<bool> endStream() = 0;
  // The reader is not to be trusted with another answer after this one (it left, or its stream
  // broke mid-way).
  virtual void endConnection() {}

  // While `exchange` runs, a reader that goes away aborts it and sets `gone`, so nobody pays for
  // tokens no one reads. A sink without a reader that can leave ignores this.
  virtual void watch(UpstreamExchange& /*exchange*/, bool& /*gone*/) {}
  // A hedge joined the race: its exchange is aborted too when the reader leaves.
  virtual void alsoWatch(UpstreamExchange& /*exchange*/) {}
  virtual void unwatch() {}
};

// Watches for the reader leaving for as long as it lives.
class SinkWatch {
 public:
  SinkWatch(AnswerSink& sink, UpstreamExchange& exchange, bool& gone) : sink_(sink) {
    sink_.watch(exchange, gone);
  }
  ~SinkWatch() { sink_.unwatch(); }
  SinkWatch(const SinkWatch&) = delete;
  SinkWatch& operator=(const SinkWatch&) = delete;

 private:
  AnswerSink& sink_;
};

}  // namespace switchyard
