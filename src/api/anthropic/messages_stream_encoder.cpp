#include "api/anthropic/messages_stream_encoder.hpp"

#include <boost/json/serialize.hpp>
#include <charconv>

#include "api/anthropic/messages_answer.hpp"
#include "api/sse_write.hpp"
#include "core/json_escape.hpp"

namespace switchyard {
namespace {

namespace json = boost::json;

void appendEvent(std::string& out, std::string_view name, const json::object& data) {
  appendSseEvent(out, name, json::serialize(data));
}

}  // namespace

AnthropicStreamEncoder::AnthropicStreamEncoder(const ApiRequest& req)
    : model_(req.model), stopSequences_(stopSequencesOf(req)) {}

void AnthropicStreamEncoder::start(std::string_view upstreamId) {
  started_ = true;
  json::object message{{"id", messageId(upstreamId)}, {"type", "message"},
                       {"role", "assistant"},         {"model", model_},
                       {"content", json::array()},    {"stop_reason", nullptr},
                       {"stop_sequence", nullptr},    {"usage", anthropic_map::toJson(usage_)}};
  appendEvent(out_, "message_start",
              json::object{{"type", "message_start"}, {"message", std::move(message)}});
}

// The hot path (one per token) writes its JSON by hand instead of building a DOM.
void AnthropicStreamEncoder::delta(std::string_view deltaType, std::string_view field,
                                   std::string_view value) {
  using namespace std::string_view_literals;
  out_.append("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":"sv);
  char digits[24];
  out_.append(digits, std::to_chars(digits, digits + sizeof digits, nextIndex_).ptr);
  out_.append(",\"delta\":{\"type\":\""sv).append(deltaType).append("\",\""sv);
  out_.append(field).append("\":"sv);
  appendJsonString(out_, value);
  out_.append("}}\n\n"sv);
}

void AnthropicStreamEncoder::openBlock(Block kind) {
  closeBlock();
  open_ = kind;
  json::object block;
  if (kind == Block::kText) {
    block = {{"type", "text"}, {"text", ""}};
  } else {
    block = {{"type", "thinking"}, {"thinking", ""}, {"signature", ""}};
  }
  appendEvent(out_, "content_block_start",
              json::object{{"type", "content_block_start"},
                           {"index", nextIndex_},
                           {"content_block", std::move(block)}});
}

void AnthropicStreamEncoder::openToolBlock(int32_t index, std::string_view id,
                                           std::string_view name) {
  closeBlock();
  open_ = Block::kTool;
  toolIndex_ = index;
  sawToolCall_ = true;
  std::string toolId = id.empty() ? "toolu_" + std::to_string(toolCount_) : std::string(id);
  ++toolCount_;
  appendEvent(out_, "content_block_start",
              json::object{{"type", "content_block_start"},
                           {"index", nextIndex_},
                           {"content_block", json::object{{"type", "tool_use"},
                                                          {"id", std::move(toolId)},
                                                          {"name", name},
                                                          {"input", json::object()}}}});
}

void AnthropicStreamEncoder::closeBlock() {
  if (open_ == Block::kNone) return;
  appendEvent(out_, "content_block_stop",
              json::object{{"type", "content_block_stop"}, {"index", nextIndex_}});
  ++nextIndex_;
  open_ = Block::kNone;
}

void AnthropicStreamEncoder::onEvent(const StreamEvent& e) {
  using Kind = StreamEvent::Kind;
  if (ended_ || e.choice != 0) return;
  if (e.kind == Kind::kUsage) {
    usage_ = anthropicCounts(*e.usage);
    return;
  }
  if (!started_) start(e.kind == Kind::kStart ? e.id : std::string_view());
  switch (e.kind) {
    case Kind::kStart:
    case Kind::kUsage:
      break;
    case Kind::kText:
    case Kind::kRefusal:
      if (e.text.empty()) break;
      if (e.kind == Kind::kRefusal) sawRefusal_ = true;
      if (open_ != Block::kText) openBlock(Block::kText);
      delta("text_delta", "text", e.text);
      break;
    case Kind::kReasoning:
      if (e.text.empty()) break;
      if (open_ != Block::kThinking) openBlock(Block::kThinking);
      delta("thinking_delta", "thinking", e.text);
      break;
    case Kind::kReasoningSignature:
      if (open_ != Block::kThinking) openBlock(Block::kThinking);
      delta("signature_delta", "signature", e.text);
      break;
    case Kind::kRedactedReasoning:
      closeBlock();
      appendEvent(out_, "content_block_start",
                  json::object{{"type", "content_block_start"},
                               {"index", nextIndex_},
                               {"content_block",
                                json::object{{"type", "redacted_thinking"}, {"data", e.text}}}});
      appendEvent(out_, "content_block_stop",
                  json::object{{"type", "content_block_stop"}, {"index", nextIndex_}});
      ++nextIndex_;
      break;
    case Kind::kToolCall:
      openToolBlock(e.index, e.id, e.name);
      break;
    case Kind::kToolArguments:
      if (e.text.empty()) break;
      // Arguments of a call whose start was never seen still get a block of their own.
      if (open_ != Block::kTool || e.index != toolIndex_) openToolBlock(e.index, {}, {});
      delta("input_json_delta", "partial_json", e.text);
      break;
    case Kind::kFinish:
      finishReason_ = e.text;
      matchedStop_.clear();
      for (const auto& stop : stopSequences_) {
        if (!e.matchedStop.empty() && stop == e.matchedStop) matchedStop_ = stop;
      }
      break;
    case Kind::kEnd:
      finish();
      break;
    case Kind::kError:
      fail(*e.error);
      break;
  }
}

void AnthropicStreamEncoder::finish() {
  closeBlock();
  const std::string_view reason =
      stopReason(finishReason_, sawToolCall_, sawRefusal_, !matchedStop_.empty());
  json::object delta{
      {"stop_reason", reason},
      {"stop_sequence", reason == "stop_sequence" ? json::value(matchedStop_) : nullptr}};
  appendEvent(out_, "message_delta",
              json::object{{"type", "message_delta"},
                           {"delta", std::move(delta)},
                           {"usage", anthropic_map::toJson(usage_)}});
  appendEvent(out_, "message_stop", json::object{{"type", "message_stop"}});
  ended_ = true;
}

void AnthropicStreamEncoder::fail(const Error& e) {
  if (ended_) return;
  appendSseEvent(out_, "error", e.toAnthropicJson());
  ended_ = true;
}

}  // namespace switchyard
