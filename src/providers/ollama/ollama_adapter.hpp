#pragma once
// Ollama's native API for `ollama/` and `ollama_chat/` deployments, as LiteLLM's ollama_chat
// speaks it: POST /api/chat (NDJSON stream), POST /api/embed. The legacy /v1/completions goes to
// the same server's OpenAI-compatible /v1/completions, as the client sent it. An api_base that
// ends in /v1 is Ollama's OpenAI-compatible API instead: the config loader gives such a
// deployment the OpenAI wire format (ProviderInfo::openAiCompatiblePath).

#include <string>

#include "providers/openai/openai_adapter.hpp"

namespace switchyard {

class OllamaAdapter : public OpenAiAdapter {
 public:
  Result<UpstreamRequest> buildRequest(ApiRequest& req, const Deployment& d) const override;
  Result<std::string> translateResponse(const ApiRequest& req, std::string body,
                                        Usage& usage) const override;
  std::unique_ptr<StreamDecoder> makeStreamDecoder(const ApiRequest& req) const override;
  std::unique_ptr<StreamPassThrough> makeStreamPassThrough(const ApiRequest& req) const override;
  // The deployment's overload asks this one (no deployment here speaks the Responses API).
  using OpenAiAdapter::makeStreamPassThrough;
  Error classifyError(int status, std::string_view body,
                      std::string_view retryAfter) const override;

 protected:
  // /v1/completions on the server's OpenAI-compatible API.
  std::string target(const ApiRequest& req, const Deployment& d) const override;
};

// Ollama's NDJSON stream (one JSON object a line, the last with done: true) → canonical events.
class OllamaStreamDecoder : public StreamDecoder {
 public:
  // `model`: the name the client asked for.
  explicit OllamaStreamDecoder(std::string model);
  // Frames the bytes into lines and decodes each.
  Result<void> onBytes(std::string_view bytes, EventSink& sink) override;
  // One line (`data`); `event` is unused.
  Result<void> onEvent(std::string_view event, std::string_view data, EventSink& sink) override;
  bool finished() const override { return done_; }

 private:
  void ensureStarted(EventSink& sink);

  std::string id_;
  std::string model_;
  std::string line_;  // an incomplete line
  bool started_ = false;
  bool done_ = false;
  bool calledTools_ = false;
  int32_t tools_ = 0;
  Usage usage_;
};

namespace ollama {

// OpenAI chat request → /api/chat body.
Result<boost::json::object> toChat(const boost::json::object& body, std::string_view model,
                                   bool dropParams);
// /api/chat answer → OpenAI chat.completion.
Result<std::string> fromChat(std::string_view body, std::string_view model, Usage& usage);
// OpenAI embeddings request → /api/embed body, and its answer back.
Result<boost::json::object> toEmbed(const boost::json::object& body, std::string_view model);
Result<std::string> fromEmbed(std::string_view body, const ApiRequest& req, Usage& usage);

// done_reason → OpenAI's finish reason ("length" for length, else "stop"; "tool_calls" when the
// answer called tools).
std::string_view finishReason(std::string_view doneReason, bool calledTools);
// prompt_eval_count / eval_count of a final object; false when it carries neither.
bool readUsage(const boost::json::object& done, Usage& out);
// A tool call's OpenAI id: Ollama's own when it sent one, else a fresh "call_...".
std::string toolCallId(const boost::json::object& call);
// {"error": "..."} answers.
Error classifyError(int status, std::string_view body, std::string_view retryAfter);

}  // namespace ollama

}  // namespace switchyard
