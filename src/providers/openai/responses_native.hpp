#pragma once
// A Responses client in front of a deployment that speaks the Responses API itself (OpenAI and
// Azure OpenAI, as LiteLLM sends them /v1/responses natively, or any deployment whose
// model_info.supported_endpoints lists "/v1/responses"): the client's body goes out with the model
// spliced in, and the answer comes back as it came, only its usage read.

#include <string>
#include <string_view>

#include "client/sse_parser.hpp"
#include "config/snapshot.hpp"
#include "providers/adapter.hpp"

namespace switchyard {

// Whether the deployment serves POST {api_base}/responses. Other OpenAI-compatible hosts
// (hosted_vllm/, groq/, together_ai/, ...) are chat-completions-only unless they list it.
bool speaksResponses(const Deployment& d);

// The Responses event stream forwarded event by event: usage from response.completed /
// response.incomplete / response.failed (which end it), an `error` event as an Error (retried
// elsewhere while nothing went out yet), failures written as an `error` event.
class ResponsesStreamPassThrough final : public StreamPassThrough {
 public:
  Result<void> onBytes(std::string_view bytes, std::string& out, Usage& usage) override;
  bool finished() const override { return done_; }
  void watchForContent() override { watching_ = true; }
  bool sawContent() const override { return sawContent_; }
  void fail(const Error& e, std::string& out) override;

 private:
  Result<void> onEvent(std::string_view event, std::string_view data, std::string& out,
                       Usage& usage);

  SseParser sse_;
  int64_t forwarded_ = 0;  // events so far: the next sequence_number
  bool done_ = false;
  bool watching_ = false;
  bool sawContent_ = false;
};

}  // namespace switchyard
