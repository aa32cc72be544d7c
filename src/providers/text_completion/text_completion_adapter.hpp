#pragma once
// LiteLLM's text-completion-openai/: a chat-completions request is sent to OpenAI's legacy
// /v1/completions (the messages become one prompt) and its answer and stream are translated back
// to chat; a /v1/completions request is forwarded as it is, like any OpenAI deployment's.

#include <map>

#include "providers/openai/openai_adapter.hpp"

namespace switchyard {

class TextCompletionAdapter : public OpenAiAdapter {
 public:
  Result<UpstreamRequest> buildRequest(ApiRequest& req, const Deployment& d) const override;
  Result<std::string> translateResponse(const ApiRequest& req, std::string body,
                                        Usage& usage) const override;
  std::unique_ptr<StreamDecoder> makeStreamDecoder(const ApiRequest& req) const override;
  std::unique_ptr<StreamPassThrough> makeStreamPassThrough(const ApiRequest& req) const override;
  // The deployment's overload asks this one (no deployment here speaks the Responses API).
  using OpenAiAdapter::makeStreamPassThrough;

 protected:
  // A chat request goes to /completions.
  std::string target(const ApiRequest& req, const Deployment& d) const override;
};

// text_completion chunks (choices[].text) → canonical events.
class TextCompletionStreamDecoder : public StreamDecoder {
 public:
  explicit TextCompletionStreamDecoder(std::string model);
  Result<void> onEvent(std::string_view event, std::string_view data, EventSink& sink) override;
  bool finished() const override { return done_; }
  // A finish_reason seen on every choice is the end of the answer, even when [DONE] and the
  // usage chunk were cut off.
  void onUpstreamEnd(EventSink& sink) override;

 private:
  void ensureStarted(EventSink& sink, std::string_view id);

  std::string id_;
  std::string model_;
  bool started_ = false;
  bool done_ = false;
  std::map<int64_t, bool> finished_;  // by choice index: its finish_reason came
  Usage usage_;
};

namespace text_completion {

// OpenAI chat request → legacy completions body: the messages' texts joined into one prompt,
// the sampling parameters as they are, chat's logprobs/top_logprobs as the legacy logprobs count.
Result<boost::json::object> toCompletion(const boost::json::object& body, std::string_view model,
                                         bool stream, bool dropParams);
// text_completion answer → chat.completion.
Result<std::string> toChatAnswer(std::string_view body, std::string_view model, Usage& usage);
// Legacy logprobs ({tokens, token_logprobs, top_logprobs}) → chat's {content: [...]}.
boost::json::value chatLogprobs(const boost::json::value& legacy);

}  // namespace text_completion

}  // namespace switchyard
