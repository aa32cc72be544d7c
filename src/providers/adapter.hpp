#pragma once
// What every provider adapter does: build the upstream request, decode the answer (a whole body,
// or a stream into canonical events), and classify upstream errors for the router.

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "api/events/stream_event.hpp"
#include "api/request.hpp"
#include "client/sse_parser.hpp"
#include "config/snapshot.hpp"
#include "core/async.hpp"
#include "core/error.hpp"

namespace switchyard {

class UpstreamPool;

struct UpstreamRequest {
  std::string_view method = "POST";  // a literal
  std::string target;                // path and query, e.g. "/v1/chat/completions"
  std::vector<std::pair<std::string, std::string>> headers;  // besides Host and Content-*
  std::string body;
  std::string contentType = "application/json";
};

// Decodes one upstream stream into canonical events. One instance per request: it may keep state.
class StreamDecoder {
 public:
  virtual ~StreamDecoder() = default;
  // Raw upstream body bytes, in any split. The default frames them as Server-Sent Events and
  // calls onEvent for each; binary framings (Bedrock's event stream) override this.
  virtual Result<void> onBytes(std::string_view bytes, EventSink& sink);
  // One upstream SSE event: emits what it means (possibly nothing). An error before the answer
  // began is returned (the attempt can still be retried elsewhere); after it began, an upstream
  // error is emitted as a kError event.
  virtual Result<void> onEvent(std::string_view event, std::string_view data, EventSink& sink) = 0;
  // True once the upstream said the stream is complete (kEnd or kError emitted).
  virtual bool finished() const = 0;
  // The upstream closed the stream before finished(). A decoder that already saw the provider's
  // end-of-message event, and was only waiting for the usage that normally follows it (Bedrock's
  // metadata after messageStop), completes the answer here: emits kEnd, and is finished() with
  // the usage unknown. Otherwise it emits nothing and the answer stays incomplete.
  virtual void onUpstreamEnd(EventSink& /*sink*/) {}

 private:
  SseParser sse_;
};

// The byte fast path, for an upstream that already speaks the client's format: the stream is
// forwarded as it came, only its usage read.
class StreamPassThrough {
 public:
  virtual ~StreamPassThrough() = default;
  // Appends what the client should receive to `out`; records usage when a chunk carries it.
  virtual Result<void> onBytes(std::string_view bytes, std::string& out, Usage& usage) = 0;
  virtual bool finished() const = 0;
  // From now on, note whether anything of the answer (text, reasoning, a tool call, a finish)
  // has gone into `out`: what the first-token rules wait for. Off by default, as it costs a
  // parse of the first chunks.
  virtual void watchForContent() = 0;
  // Whether it has, since watchForContent().
  virtual bool sawContent() const = 0;
  // The stream failed after it began: the client format's in-stream error, which ends it.
  virtual void fail(const Error& e, std::string& out) = 0;
};

class ProviderAdapter {
 public:
  virtual ~ProviderAdapter() = default;
  // May rewrite the request's body in place (model name, stream options): the body is the request's
  // own.
  virtual Result<UpstreamRequest> buildRequest(ApiRequest& req, const Deployment& d) const = 0;
  // Translates a complete 2xx body into an OpenAI chat.completion (or the OpenAI endpoint's own
  // shape); records usage.
  virtual Result<std::string> translateResponse(const ApiRequest& req, std::string body,
                                                Usage& usage) const = 0;
  virtual std::unique_ptr<StreamDecoder> makeStreamDecoder(const ApiRequest& req) const = 0;
  // The byte fast path when this upstream speaks the client's format for this request; nullptr
  // when it does not (the stream then goes through events).
  virtual std::unique_ptr<StreamPassThrough> makeStreamPassThrough(const ApiRequest&) const {
    return nullptr;
  }
  // The same for this deployment, for adapters where it depends on what the deployment speaks
  // (an OpenAI deployment that serves the Responses API or not).
  virtual std::unique_ptr<StreamPassThrough> makeStreamPassThrough(const ApiRequest& req,
                                                                   const Deployment&) const {
    return makeStreamPassThrough(req);
  }
  // Whether this deployment is sent the client's own body for this request (the client's format
  // on both sides): what only that format can say (ApiRequest::untranslated) then reaches it.
  virtual bool forwardsClientBody(const ApiRequest&, const Deployment&) const { return false; }
  // Whether translateResponse's body is already the client's answer, which then needs no events.
  virtual bool answersInClientFormat(const ApiRequest& req, const Deployment&) const {
    return req.format == InboundFormat::kOpenAi;
  }
  // Credentials that need I/O or the final request (OAuth tokens, request signing). Runs after
  // buildRequest, right before sending, for adapters whose hasCredentialStep() says so (the
  // others skip a coroutine per request); the default adds nothing.
  virtual bool hasCredentialStep() const { return false; }
  virtual Task<Result<void>> addCredentials(const Deployment& d, UpstreamRequest& request,
                                            UpstreamPool& pool) const;
  // POST /v1/messages/count_tokens (an Anthropic-format body) for this deployment, for providers
  // that count tokens themselves; nullopt for the others (the gateway then estimates).
  virtual std::optional<UpstreamRequest> buildCountTokensRequest(std::string_view anthropicBody,
                                                                 const Deployment& d) const;
  // A stored response of a Responses-native deployment (OpenAI, Azure OpenAI): `method` ("GET",
  // "DELETE", "POST") on {its Responses API}/{path} ("resp_1", "resp_1/input_items", with
  // `query`); nullopt for deployments that store none.
  virtual std::optional<UpstreamRequest> buildStoredResponseRequest(std::string_view method,
                                                                    std::string_view path,
                                                                    std::string_view query,
                                                                    const Deployment& d) const;
  // Turns a non-2xx upstream answer into an Error with the right class and status.
  virtual Error classifyError(int status, std::string_view body,
                              std::string_view retryAfter) const = 0;
};

const ProviderAdapter& adapterFor(WireFormat format);

}  // namespace switchyard
