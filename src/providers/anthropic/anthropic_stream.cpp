#include "providers/anthropic/anthropic_stream.hpp"

#include <boost/json.hpp>
#include <ctime>

#include "api/sse_write.hpp"
#include "core/text.hpp"
#include "providers/anthropic/anthropic_errors.hpp"
#include "providers/common/errors.hpp"
#include "providers/common/json_fields.hpp"
#include "providers/common/scratch_json.hpp"
#include "providers/common/sse_events.hpp"

namespace switchyard::anthropic {

namespace json = boost::json;
using common::badUpstream;
using common::objectField;
using common::stringField;

namespace {

constexpr size_t kMaxBlocks = 1024;  // a larger index is a malformed stream, not a big answer

}  // namespace

void AnthropicStreamDecoder::emitUsage(EventSink& sink) {
  usage_.fill(canonicalUsage_);
  sink.onEvent(StreamEvent::usageIs(canonicalUsage_));
}

Result<void> AnthropicStreamDecoder::onEvent(std::string_view event, std::string_view data,
                                             EventSink& sink) {
  if (done_ || data.empty()) return {};
  if (started_ && delta_.read(event, data)) {
    const DeltaFields fields{delta_.deltaType, delta_.text, delta_.partialJson, delta_.thinking,
                             delta_.signature};
    blockDelta(delta_.index, delta_.hasDelta ? &fields : nullptr, sink);
    return {};
  }
  common::ScratchJson<> parsed;
  const auto* obj = parsed.parseObject(data);
  if (!obj) return badUpstream("The upstream sent a stream event that is not a JSON object.");
  std::string_view type = stringField(*obj, "type");
  if (type.empty()) type = event;

  if (type == "ping") return {};
  if (type == "error") {
    const auto* err = objectField(*obj, "error");
    const Error e = streamError(err ? stringField(*err, "type") : std::string_view(),
                                err ? stringField(*err, "message") : std::string_view());
    // Before anything reached the client the attempt can still be retried elsewhere.
    if (!started_) return e;
    sink.onEvent(StreamEvent::failure(e));
    done_ = true;
    return {};
  }
  if (type == "message_start") return messageStart(*obj, sink);
  if (!started_) {
    // Unknown event types before the message are tolerated; content is not.
    if (type.starts_with("content_block") || type.starts_with("message")) {
      return badUpstream("The upstream sent " + std::string(type) + " before message_start.");
    }
    return {};
  }
  if (type == "content_block_start") return blockStart(*obj, sink);
  if (type == "content_block_delta") {
    const auto* delta = objectField(*obj, "delta");
    const DeltaFields fields =
        delta ? DeltaFields{stringField(*delta, "type"), stringField(*delta, "text"),
                            stringField(*delta, "partial_json"), stringField(*delta, "thinking"),
                            stringField(*delta, "signature")}
              : DeltaFields{};
    blockDelta(indexOf(*obj), delta ? &fields : nullptr, sink);
  } else if (type == "content_block_stop") {
    if (Block* b = blockAt(*obj); b && b->kind == Kind::kToolUse && !b->sentArguments) {
      sink.onEvent(StreamEvent::toolArguments(b->toolIndex, "{}"));
      b->sentArguments = true;
    }
  } else if (type == "message_delta") {
    if (const auto* delta = objectField(*obj, "delta")) {
      if (auto reason = stringField(*delta, "stop_reason"); !reason.empty()) stopReason_ = reason;
      stopSequence_ = stringField(*delta, "stop_sequence");
      if (const auto* details = objectField(*delta, "stop_details")) {
        refusal_ = stringField(*details, "explanation");
      }
    }
    if (const auto* u = objectField(*obj, "usage")) {
      usage_.update(*u);
      emitUsage(sink);
    }
  } else if (type == "message_stop") {
    messageStop(sink);
  }
  return {};
}

Result<void> AnthropicStreamDecoder::messageStart(const json::object& event, EventSink& sink) {
  const auto* msg = objectField(event, "message");
  if (!msg) return badUpstream("The upstream sent a message_start without a message.");
  const std::string_view id = stringField(*msg, "id");
  if (started_) {
    // A repeated message_start for the open message is harmless; another message spliced into
    // this one would mix two answers.
    if (id == id_) return {};
    return badUpstream("The upstream started a second message inside one stream.");
  }
  started_ = true;
  id_ = id;
  // Input tokens are known from the start: they go first, so a client format that reports them
  // at its own message start can.
  if (const auto* u = objectField(*msg, "usage")) {
    usage_.update(*u);
    emitUsage(sink);
  }
  sink.onEvent(StreamEvent::start(id_, stringField(*msg, "model"),
                                  static_cast<int64_t>(std::time(nullptr))));
  return {};
}

// The event's block index, or -1 when it is not a non-negative integer.
int64_t AnthropicStreamDecoder::indexOf(const json::object& event) {
  const auto* index = event.if_contains("index");
  if (!index || !index->is_int64() || index->get_int64() < 0) return -1;
  return index->get_int64();
}

AnthropicStreamDecoder::Block* AnthropicStreamDecoder::blockAt(const json::object& event) {
  return blockAt(indexOf(event));
}

AnthropicStreamDecoder::Block* AnthropicStreamDecoder::blockAt(int64_t index) {
  if (index < 0) return nullptr;
  const auto i = static_cast<size_t>(index);
  return i < blocks_.size() ? &blocks_[i] : nullptr;
}

Result<void> AnthropicStreamDecoder::blockStart(const json::object& event, EventSink& sink) {
  const auto* index = event.if_contains("index");
  const auto* block = objectField(event, "content_block");
  if (!index || !index->is_int64() || index->get_int64() < 0 ||
      static_cast<size_t>(index->get_int64()) >= kMaxBlocks || !block) {
    return badUpstream("The upstream sent a malformed content_block_start.");
  }
  const auto i = static_cast<size_t>(index->get_int64());
  if (i >= blocks_.size()) blocks_.resize(i + 1);
  Block& b = blocks_[i];
  b = Block{};
  using EventKind = StreamEvent::Kind;
  const std::string_view type = stringField(*block, "type");
  if (type == "text") {
    b.kind = Kind::kText;
    sink.onEvent(StreamEvent::delta(EventKind::kText, stringField(*block, "text")));
  } else if (type == "tool_use") {
    const std::string_view name = stringField(*block, "name");
    if (jsonTool_ && name == kJsonToolName) {
      b.kind = Kind::kJsonTool;
      jsonAnswered_ = true;
      return {};
    }
    b.kind = Kind::kToolUse;
    b.toolIndex = toolCalls_++;
    sink.onEvent(StreamEvent::toolCall(b.toolIndex, stringField(*block, "id"), name));
  } else if (type == "thinking") {
    b.kind = Kind::kThinking;
    sink.onEvent(StreamEvent::delta(EventKind::kReasoning, stringField(*block, "thinking")));
  } else if (type == "redacted_thinking") {
    sink.onEvent(StreamEvent::delta(EventKind::kRedactedReasoning, stringField(*block, "data")));
  }
  // Server tools (web search, code execution, MCP), fallbacks and the like have no canonical
  // equivalent: their blocks and deltas are skipped.
  return {};
}

void AnthropicStreamDecoder::blockDelta(int64_t index, const DeltaFields* delta, EventSink& sink) {
  Block* b = blockAt(index);
  if (!b || !delta) return;
  using EventKind = StreamEvent::Kind;
  const std::string_view type = delta->type;
  if (type == "text_delta" && b->kind == Kind::kText) {
    sink.onEvent(StreamEvent::delta(EventKind::kText, delta->text));
  } else if (type == "input_json_delta") {
    const std::string_view fragment = delta->partialJson;
    if (fragment.empty()) return;
    if (b->kind == Kind::kJsonTool) {
      sink.onEvent(StreamEvent::delta(EventKind::kText, fragment));
    } else if (b->kind == Kind::kToolUse) {
      sink.onEvent(StreamEvent::toolArguments(b->toolIndex, fragment));
      b->sentArguments = true;
    }
  } else if (type == "thinking_delta" && b->kind == Kind::kThinking) {
    sink.onEvent(StreamEvent::delta(EventKind::kReasoning, delta->thinking));
  } else if (type == "signature_delta" && b->kind == Kind::kThinking) {
    sink.onEvent(StreamEvent::delta(EventKind::kReasoningSignature, delta->signature));
  }
}

void AnthropicStreamDecoder::messageStop(EventSink& sink) {
  if (!refusal_.empty()) {
    sink.onEvent(StreamEvent::delta(StreamEvent::Kind::kRefusal, refusal_));
  }
  std::string_view finish = finishReasonFor(stopReason_);
  if (finish.empty()) finish = "stop";
  if (jsonAnswered_ && toolCalls_ == 0 && finish == "tool_calls") finish = "stop";
  sink.onEvent(StreamEvent::finish(finish, 0, stopSequence_));
  if (usage_.present) emitUsage(sink);
  sink.onEvent(StreamEvent::end());
  done_ = true;
}

Result<void> AnthropicStreamPassThrough::onBytes(std::string_view bytes, std::string& out,
                                                 Usage& usage) {
  return common::feedEvents(
      sse_, bytes, [&](const SseEvent& e) { return onEvent(e.event, e.data, out, usage); });
}

Result<void> AnthropicStreamPassThrough::onEvent(std::string_view event, std::string_view data,
                                                 std::string& out, Usage& usage) {
  if (done_ || data.empty()) return {};
  // Anthropic names every event; the payload's type says the same and is read only where the
  // payload is parsed anyway.
  std::string named;  // the payload's type, for an event that came without its name
  const bool usageEvent = event == "message_start" || event == "message_delta";
  if (usageEvent || event == "error" || event.empty()) {
    common::ScratchJson<> parsed;
    const auto* obj = parsed.parseObject(data);
    if (!obj) return badUpstream("The upstream sent a stream event that is not a JSON object.");
    if (event.empty()) {
      named = stringField(*obj, "type");
      event = named;
    }
    if (event == "error") {
      const auto* err = objectField(*obj, "error");
      const Error e = streamError(err ? stringField(*err, "type") : std::string_view(),
                                  err ? stringField(*err, "message") : std::string_view());
      // Before the message began the attempt can still be retried elsewhere.
      if (!started_) return e;
      done_ = true;
    }
    const auto* message = event == "message_start" ? objectField(*obj, "message") : obj;
    if (const auto* u = message ? objectField(*message, "usage") : nullptr) {
      usage_.update(*u);
      usage_.fill(usage);
    }
  }
  if (event == "message_start") started_ = true;
  if (event == "message_stop") done_ = true;
  if (watching_ && !sawContent_) {
    sawContent_ = event == "content_block_delta" || event == "message_delta" ||
                  event == "message_stop" || event == "error" ||
                  (event == "content_block_start" && contains(data, "\"tool_use\""));
  }
  appendSseEvent(out, event, data);
  return {};
}

void AnthropicStreamPassThrough::fail(const Error& e, std::string& out) {
  if (done_) return;
  appendSseEvent(out, "error", e.toAnthropicJson());
  done_ = true;
}

}  // namespace switchyard::anthropic
