#pragma once
// SageMaker real-time endpoints, signed with SigV4 like Bedrock (the same aws_* params and AWS_*
// variables): POST /endpoints/{endpoint}/invocations, and .../invocations-response-stream, whose
// answer is an AWS event stream of PayloadPart events carrying the container's own bytes.
//   sagemaker/       a TGI or JumpStart text-generation container: {inputs, parameters}, the
//                    messages made one prompt, as LiteLLM does.
//   sagemaker_chat/  a container that speaks OpenAI's chat format (TGI's Messages API): the
//                    body and answer are OpenAI's, only the URL, signing and framing differ.

#include <chrono>
#include <functional>

#include "providers/common/event_stream.hpp"
#include "providers/openai/openai_adapter.hpp"

namespace switchyard {

class SageMakerAdapter : public OpenAiAdapter {
 public:
  enum class Payload { kTgi, kMessages };
  using Clock = std::function<std::chrono::system_clock::time_point()>;
  // Tests pin the signing time; the gateway uses the real one.
  explicit SageMakerAdapter(Payload payload, Clock clock = nullptr);

  Result<UpstreamRequest> buildRequest(ApiRequest& req, const Deployment& d) const override;
  Result<std::string> translateResponse(const ApiRequest& req, std::string body,
                                        Usage& usage) const override;
  std::unique_ptr<StreamDecoder> makeStreamDecoder(const ApiRequest& req) const override;
  std::unique_ptr<StreamPassThrough> makeStreamPassThrough(const ApiRequest& req) const override;
  // The deployment's overload asks this one (no deployment here speaks the Responses API).
  using OpenAiAdapter::makeStreamPassThrough;
  bool hasCredentialStep() const override { return true; }
  Task<Result<void>> addCredentials(const Deployment& d, UpstreamRequest& request,
                                    UpstreamPool& pool) const override;
  Error classifyError(int status, std::string_view body,
                      std::string_view retryAfter) const override;

  // The synchronous part of addCredentials.
  Result<void> sign(const Deployment& d, UpstreamRequest& request) const;

 protected:
  // /endpoints/{endpoint}/invocations[-response-stream]
  std::string target(const ApiRequest& req, const Deployment& d) const override;

 private:
  Payload payload_;
  Clock clock_;
};

// The PayloadPart events of an InvokeEndpointWithResponseStream answer, their bytes handed to the
// decoder of what the container streams (TGI's token events, or OpenAI chunks).
class SageMakerStreamDecoder : public StreamDecoder {
 public:
  explicit SageMakerStreamDecoder(std::unique_ptr<StreamDecoder> inner);
  Result<void> onBytes(std::string_view bytes, EventSink& sink) override;
  Result<void> onEvent(std::string_view event, std::string_view data, EventSink& sink) override;
  bool finished() const override { return inner_->finished(); }
  void onUpstreamEnd(EventSink& sink) override { inner_->onUpstreamEnd(sink); }

 private:
  EventStreamDecoder frames_;
  std::unique_ptr<StreamDecoder> inner_;
};

// The same for the byte fast path: OpenAI chunks out of the PayloadParts, forwarded.
class SageMakerStreamPassThrough : public StreamPassThrough {
 public:
  explicit SageMakerStreamPassThrough(std::unique_ptr<StreamPassThrough> inner);
  Result<void> onBytes(std::string_view bytes, std::string& out, Usage& usage) override;
  bool finished() const override { return inner_->finished(); }
  void watchForContent() override { inner_->watchForContent(); }
  bool sawContent() const override { return inner_->sawContent(); }
  void fail(const Error& e, std::string& out) override { inner_->fail(e, out); }

 private:
  EventStreamDecoder frames_;
  std::unique_ptr<StreamPassThrough> inner_;
};

// TGI's token stream (lines of JSON, "data:" prefixed when it is SSE) → canonical events. The
// last token event carries generated_text and details (finish reason, generated tokens): the end
// of the answer.
class TgiStreamDecoder : public StreamDecoder {
 public:
  // `prompt`: what was sent as inputs, for the prompt's token count.
  TgiStreamDecoder(std::string model, std::string prompt);
  Result<void> onBytes(std::string_view bytes, EventSink& sink) override;
  Result<void> onEvent(std::string_view event, std::string_view data, EventSink& sink) override;
  bool finished() const override { return done_; }

 private:
  void ensureStarted(EventSink& sink);

  std::string id_;
  std::string model_;
  std::string prompt_;
  std::string line_;
  std::string text_;  // the answer so far, counted when details do not say
  bool started_ = false;
  bool done_ = false;
  Usage usage_;
};

namespace sagemaker {

// The messages as one prompt: Llama 2's chat template for a llama-2 chat model, else the
// contents joined with spaces (LiteLLM's default for a model it has no template for).
Result<std::string> promptOf(const boost::json::object& body, std::string_view model);
// OpenAI chat request → {inputs, parameters[, stream]}.
Result<boost::json::object> toTgi(const boost::json::object& body, std::string_view model,
                                  bool stream, bool dropParams);
// [{generated_text, details}] (or {generation}) → chat.completion. Usage: the prompt counted
// with cl100k_base as LiteLLM counts it, the answer from details.generated_tokens (else counted).
Result<std::string> fromTgi(std::string_view body, const ApiRequest& req, Usage& usage);
// TGI's finish reasons: length → length, eos_token / stop_sequence → stop.
std::string_view finishReason(std::string_view tgiReason);

// OpenAI embeddings request → a Hugging Face embedding container's {inputs: [texts]}, as LiteLLM
// sends it.
Result<boost::json::object> toEmbeddingRequest(const boost::json::object& body);
// Its answer (TEI's bare array of vectors, or {"embedding": [...]}) → OpenAI's embeddings list.
// Containers report no usage: the inputs are counted with cl100k_base.
Result<std::string> fromEmbeddingAnswer(std::string_view body, const ApiRequest& req, Usage& usage);

}  // namespace sagemaker

}  // namespace switchyard
