#pragma once
// ConverseStream (AWS event-stream frames) → OpenAI chat.completion.chunk events.

#include <map>

#include "providers/adapter.hpp"
#include "providers/bedrock/event_stream.hpp"
#include "providers/common/openai_chunks.hpp"

namespace switchyard {

class BedrockStreamTranslator : public StreamTranslator {
 public:
  BedrockStreamTranslator(std::string model, bool clientWantsUsage);
  // Decodes the binary framing and hands each event to onEvent.
  Result<void> onBytes(std::string_view bytes, std::string& out, Usage& usage) override;
  // One decoded event: `event` is its :event-type, `data` its JSON payload.
  Result<void> onEvent(std::string_view event, std::string_view data, std::string& out,
                       Usage& usage) override;
  // Complete once both messageStop and metadata (usage) have arrived, in either order.
  bool finished() const override { return done_; }

 private:
  void ensureRole(std::string& out);
  void maybeFinish(std::string& out);

  common::ChunkWriter writer_;
  bool clientWantsUsage_;
  EventStreamDecoder decoder_;
  bool roleSent_ = false;
  std::string finishReason_;  // set by messageStop
  bool haveUsage_ = false;
  Usage usage_;
  bool done_ = false;
  struct ToolBlock {
    int64_t index = 0;  // OpenAI tool_calls index
    bool sentArguments = false;
  };
  std::map<int64_t, ToolBlock> tools_;  // by contentBlockIndex
};

}  // namespace switchyard
