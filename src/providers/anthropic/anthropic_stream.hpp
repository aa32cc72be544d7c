#pragma once
// Anthropic's stream events (message_start, content_block_*, message_delta, message_stop, ping,
// error) → OpenAI chat.completion.chunk events ending in [DONE].

#include <string>
#include <vector>

#include "providers/adapter.hpp"
#include "providers/anthropic/anthropic_common.hpp"

namespace switchyard::anthropic {

class AnthropicStreamTranslator : public StreamTranslator {
 public:
  // `jsonTool`: the request asked for JSON through response_format (see kJsonToolName).
  AnthropicStreamTranslator(bool clientWantsUsage, bool jsonTool)
      : clientWantsUsage_(clientWantsUsage), jsonTool_(jsonTool) {}
  Result<void> onEvent(std::string_view event, std::string_view data, std::string& out,
                       Usage& usage) override;
  bool finished() const override { return done_; }

 private:
  enum class Kind { kOther, kText, kToolUse, kJsonTool, kThinking };
  struct Block {
    Kind kind = Kind::kOther;
    int toolIndex = -1;          // OpenAI's tool_calls[].index
    bool sentArguments = false;  // a tool call without arguments still gets "{}"
  };

  Result<void> messageStart(const boost::json::object& event, std::string& out);
  Result<void> blockStart(const boost::json::object& event, std::string& out);
  void blockDelta(const boost::json::object& event, std::string& out);
  void messageStop(std::string& out);
  Block* blockAt(const boost::json::object& event);
  // One chunk with this delta object (serialized) and finish_reason ("" for null).
  void emit(std::string& out, std::string_view delta, std::string_view finishReason = {});
  void emitText(std::string& out, std::string_view field, std::string_view text);
  void emitArguments(std::string& out, int toolIndex, std::string_view fragment);

  bool clientWantsUsage_;
  bool jsonTool_;
  bool started_ = false;
  bool done_ = false;
  bool jsonAnswered_ = false;
  int toolCalls_ = 0;
  std::string id_;
  std::string head_;  // `{"id":..,"object":..,"created":..,"model":..,` shared by every chunk
  std::vector<Block> blocks_;
  std::string stopReason_;
  std::string refusal_;
  AnthropicUsage usage_;
};

}  // namespace switchyard::anthropic
