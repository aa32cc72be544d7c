#pragma once
// Events → OpenAI chat.completion.chunk SSE, ending in [DONE]: the stream an OpenAI client reads
// whatever provider answered.

#include <string>
#include <vector>

#include "api/events/stream_encoder.hpp"

namespace switchyard {

class OpenAiChatStreamEncoder final : public StreamEncoder {
 public:
  // `clientWantsUsage`: stream_options.include_usage, which adds the usage-only last chunk.
  explicit OpenAiChatStreamEncoder(bool clientWantsUsage) : wantsUsage_(clientWantsUsage) {}
  void onEvent(const StreamEvent& e) override;
  void fail(const Error& e) override;

 private:
  // One chunk: choices[0] = {index: choice, delta: `delta` (JSON), finish_reason}.
  void chunk(int32_t choice, std::string_view delta, std::string_view finishReason = {});
  void textDelta(int32_t choice, std::string_view field, std::string_view text);
  void ensureRole(int32_t choice);
  void end();

  bool wantsUsage_;
  bool ended_ = false;
  std::string head_;  // `{"id":..,"object":..,"created":..,"model":..,` shared by every chunk
  std::vector<bool> roleSent_;  // by choice
  Usage usage_;
  std::string scratch_;
};

}  // namespace switchyard
