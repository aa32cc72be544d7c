#pragma once
// Events → Anthropic Messages SSE ("event: X\ndata: {...}\n\n"): message_start, content blocks
// (text, thinking with its signature, redacted_thinking, tool_use), message_delta with the stop
// reason and usage, message_stop. Usage: what is known at message_start (an Anthropic upstream
// reports input tokens there; OpenAI-format upstreams only at the end) and the final counts in
// message_delta, which the Anthropic SDKs take as the final ones. No ping events. Anthropic has
// no n > 1: only choice 0 is encoded.

#include <cstdint>
#include <string>
#include <vector>

#include "api/anthropic/anthropic_mapping.hpp"
#include "api/events/stream_encoder.hpp"

namespace switchyard {

class AnthropicStreamEncoder final : public StreamEncoder {
 public:
  explicit AnthropicStreamEncoder(const ApiRequest& req);
  void onEvent(const StreamEvent& e) override;
  void fail(const Error& e) override;
  // True once the message ended (message_stop, or an error event).
  bool finished() const { return ended_; }

 private:
  enum class Block { kNone, kText, kThinking, kTool };

  void start(std::string_view upstreamId);
  void openBlock(Block kind);
  void openToolBlock(int32_t index, std::string_view id, std::string_view name);
  void closeBlock();
  void delta(std::string_view deltaType, std::string_view field, std::string_view value);
  void finish();

  std::string model_;
  std::vector<std::string> stopSequences_;
  bool started_ = false;
  bool ended_ = false;
  Block open_ = Block::kNone;
  int64_t nextIndex_ = 0;  // Anthropic index of the open (or next) block
  int32_t toolIndex_ = -1;
  int64_t toolCount_ = 0;
  std::string finishReason_;
  std::string matchedStop_;
  bool sawToolCall_ = false;
  bool sawRefusal_ = false;
  anthropic_map::AnthropicTokenCounts usage_;
};

}  // namespace switchyard
