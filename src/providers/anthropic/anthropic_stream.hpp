#pragma once
// Anthropic's stream events (message_start, content_block_*, message_delta, message_stop, ping,
// error) → canonical events.

#include <string>
#include <vector>

#include "providers/adapter.hpp"
#include "providers/anthropic/anthropic_common.hpp"
#include "providers/anthropic/anthropic_delta_scan.hpp"

namespace switchyard::anthropic {

class AnthropicStreamDecoder : public StreamDecoder {
 public:
  // `jsonTool`: the request asked for JSON through response_format (see kJsonToolName).
  explicit AnthropicStreamDecoder(bool jsonTool) : jsonTool_(jsonTool) {}
  Result<void> onEvent(std::string_view event, std::string_view data, EventSink& sink) override;
  bool finished() const override { return done_; }

 private:
  enum class Kind { kOther, kText, kToolUse, kJsonTool, kThinking };
  struct Block {
    Kind kind = Kind::kOther;
    int toolIndex = -1;          // position among the answer's tool calls
    bool sentArguments = false;  // a tool call without arguments still gets "{}"
  };

  Result<void> messageStart(const boost::json::object& event, EventSink& sink);
  Result<void> blockStart(const boost::json::object& event, EventSink& sink);
  // A content_block_delta's delta, read from a tree or a scan.
  struct DeltaFields {
    std::string_view type, text, partialJson, thinking, signature;
  };
  void blockDelta(int64_t index, const DeltaFields* delta, EventSink& sink);
  void messageStop(EventSink& sink);
  static int64_t indexOf(const boost::json::object& event);
  Block* blockAt(const boost::json::object& event);
  Block* blockAt(int64_t index);
  void emitUsage(EventSink& sink);

  bool jsonTool_;
  bool started_ = false;
  bool done_ = false;
  bool jsonAnswered_ = false;
  int toolCalls_ = 0;
  std::string id_;
  std::vector<Block> blocks_;
  std::string stopReason_;
  std::string stopSequence_;
  std::string refusal_;
  AnthropicUsage usage_;
  Usage canonicalUsage_;
  DeltaScan delta_;
};

// An Anthropic client in front of an Anthropic upstream: the events are forwarded as they came, so
// what the canonical events do not name (server-tool blocks, citations, new block types) reaches
// the client; only usage is read, from message_start and message_delta.
class AnthropicStreamPassThrough final : public StreamPassThrough {
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
  AnthropicUsage usage_;
  bool started_ = false;
  bool done_ = false;
  bool watching_ = false;
  bool sawContent_ = false;
};

}  // namespace switchyard::anthropic
