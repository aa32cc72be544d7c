#pragma once
// ConverseStream (AWS event-stream frames) → canonical events.

#include <map>

#include "providers/adapter.hpp"
#include "providers/common/answer_ids.hpp"
#include "providers/common/event_stream.hpp"

namespace switchyard {

class BedrockStreamDecoder : public StreamDecoder {
 public:
  // `model`: the name the client asked for (ConverseStream does not say which model answered).
  explicit BedrockStreamDecoder(std::string model);
  // Decodes the binary framing and hands each event to onEvent.
  Result<void> onBytes(std::string_view bytes, EventSink& sink) override;
  // One decoded event: `event` is its :event-type, `data` its JSON payload.
  Result<void> onEvent(std::string_view event, std::string_view data, EventSink& sink) override;
  // Complete once both messageStop and metadata (usage) have arrived, in either order.
  bool finished() const override { return done_; }
  // messageStop without metadata is a whole answer whose usage is unknown.
  void onUpstreamEnd(EventSink& sink) override;

 private:
  void ensureStarted(EventSink& sink);
  void maybeFinish(EventSink& sink);

  std::string id_;
  std::string model_;
  EventStreamDecoder decoder_;
  bool started_ = false;
  std::string finishReason_;  // set by messageStop
  bool haveUsage_ = false;
  Usage usage_;
  bool done_ = false;
  struct ToolBlock {
    int32_t index = 0;  // position among the answer's tool calls
    bool sentArguments = false;
  };
  std::map<int64_t, ToolBlock> tools_;  // by contentBlockIndex
};

}  // namespace switchyard
