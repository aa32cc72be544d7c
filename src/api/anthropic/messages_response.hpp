#pragma once
// Inbound Anthropic Messages API, answer side: events → a whole Anthropic Message: thinking
// (with its signature), redacted_thinking, text (and refusal) and tool_use (input parsed from the
// arguments) blocks, stop_reason, usage in Anthropic's split (input_tokens excludes cached
// tokens). `model` is the client's model name. Streams: messages_stream_encoder.hpp.

#include <map>
#include <string>
#include <vector>

#include "api/anthropic/anthropic_mapping.hpp"
#include "api/events/answer_encoder.hpp"

namespace switchyard {

class AnthropicAnswerEncoder final : public AnswerEncoder {
 public:
  explicit AnthropicAnswerEncoder(const ApiRequest& req);
  void onEvent(const StreamEvent& e) override;
  // kBadUpstream when a tool call's arguments are not a JSON object.
  Result<std::string> body() override;

 private:
  struct Call {
    std::string id;
    std::string name;
    std::string arguments;
  };

  std::string model_;
  std::vector<std::string> stopSequences_;
  std::string id_;
  std::string text_;
  std::string reasoning_;
  std::string signature_;
  std::vector<std::string> redacted_;
  std::string refusal_;
  std::map<int32_t, Call> calls_;
  std::string finish_;
  std::string matchedStop_;
  anthropic_map::AnthropicTokenCounts usage_;
};

}  // namespace switchyard
