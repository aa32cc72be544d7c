#include "providers/anthropic/anthropic_stream.hpp"

#include <boost/json.hpp>
#include <ctime>

#include "providers/anthropic/anthropic_errors.hpp"
#include "providers/common/errors.hpp"
#include "providers/common/json_fields.hpp"
#include "providers/openai/openai_stream.hpp"

namespace switchyard::anthropic {

namespace json = boost::json;
using common::badUpstream;
using common::objectField;
using common::stringField;

namespace {

constexpr size_t kMaxBlocks = 1024;  // a larger index is a malformed stream, not a big answer

}  // namespace

void AnthropicStreamTranslator::emit(std::string& out, std::string_view delta,
                                     std::string_view finishReason) {
  std::string chunk = head_;
  chunk.append(R"("choices":[{"index":0,"delta":)");
  chunk.append(delta);
  chunk.append(R"(,"logprobs":null,"finish_reason":)");
  if (finishReason.empty()) {
    chunk.append("null");
  } else {
    appendJsonString(chunk, finishReason);
  }
  chunk.append("}]}");
  appendSseData(out, chunk);
}

void AnthropicStreamTranslator::emitText(std::string& out, std::string_view field,
                                         std::string_view text) {
  if (text.empty()) return;
  std::string delta = "{";
  appendJsonString(delta, field);
  delta.push_back(':');
  appendJsonString(delta, text);
  delta.push_back('}');
  emit(out, delta);
}

void AnthropicStreamTranslator::emitArguments(std::string& out, int toolIndex,
                                              std::string_view fragment) {
  std::string delta =
      R"({"tool_calls":[{"index":)" + std::to_string(toolIndex) + R"(,"function":{"arguments":)";
  appendJsonString(delta, fragment);
  delta.append("}}]}");
  emit(out, delta);
}

Result<void> AnthropicStreamTranslator::onEvent(std::string_view event, std::string_view data,
                                                std::string& out, Usage& usage) {
  if (done_ || data.empty()) return {};
  boost::system::error_code ec;
  const json::value parsed = json::parse(data, ec);
  const auto* obj = !ec ? parsed.if_object() : nullptr;
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
    appendSseData(out, e.toOpenAiJson());
    done_ = true;
    return {};
  }
  if (type == "message_start") {
    auto r = messageStart(*obj, out);
    usage_.fill(usage);
    return r;
  }
  if (!started_) {
    // Unknown event types before the message are tolerated; content is not.
    if (type.starts_with("content_block") || type.starts_with("message")) {
      return badUpstream("The upstream sent " + std::string(type) + " before message_start.");
    }
    return {};
  }
  if (type == "content_block_start") return blockStart(*obj, out);
  if (type == "content_block_delta") {
    blockDelta(*obj, out);
  } else if (type == "content_block_stop") {
    if (Block* b = blockAt(*obj); b && b->kind == Kind::kToolUse && !b->sentArguments) {
      emitArguments(out, b->toolIndex, "{}");
      b->sentArguments = true;
    }
  } else if (type == "message_delta") {
    if (const auto* delta = objectField(*obj, "delta")) {
      if (auto reason = stringField(*delta, "stop_reason"); !reason.empty()) stopReason_ = reason;
      if (const auto* details = objectField(*delta, "stop_details")) {
        refusal_ = stringField(*details, "explanation");
      }
    }
    if (const auto* u = objectField(*obj, "usage")) usage_.update(*u);
    usage_.fill(usage);
  } else if (type == "message_stop") {
    usage_.fill(usage);
    messageStop(out);
  }
  return {};
}

Result<void> AnthropicStreamTranslator::messageStart(const json::object& event, std::string& out) {
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
  head_ = R"({"id":)";
  appendJsonString(head_, id_);
  head_.append(R"(,"object":"chat.completion.chunk","created":)");
  head_.append(std::to_string(static_cast<int64_t>(std::time(nullptr))));
  head_.append(R"(,"model":)");
  appendJsonString(head_, stringField(*msg, "model"));
  head_.push_back(',');
  if (const auto* u = objectField(*msg, "usage")) usage_.update(*u);
  emit(out, R"({"role":"assistant","content":""})");
  return {};
}

AnthropicStreamTranslator::Block* AnthropicStreamTranslator::blockAt(const json::object& event) {
  const auto* index = event.if_contains("index");
  if (!index || !index->is_int64() || index->get_int64() < 0) return nullptr;
  const auto i = static_cast<size_t>(index->get_int64());
  return i < blocks_.size() ? &blocks_[i] : nullptr;
}

Result<void> AnthropicStreamTranslator::blockStart(const json::object& event, std::string& out) {
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
  const std::string_view type = stringField(*block, "type");
  if (type == "text") {
    b.kind = Kind::kText;
    emitText(out, "content", stringField(*block, "text"));
  } else if (type == "tool_use") {
    const std::string_view name = stringField(*block, "name");
    if (jsonTool_ && name == kJsonToolName) {
      b.kind = Kind::kJsonTool;
      jsonAnswered_ = true;
      return {};
    }
    b.kind = Kind::kToolUse;
    b.toolIndex = toolCalls_++;
    std::string delta = R"({"tool_calls":[{"index":)" + std::to_string(b.toolIndex) + R"(,"id":)";
    appendJsonString(delta, stringField(*block, "id"));
    delta.append(R"(,"type":"function","function":{"name":)");
    appendJsonString(delta, name);
    delta.append(R"(,"arguments":""}}]})");
    emit(out, delta);
  } else if (type == "thinking") {
    b.kind = Kind::kThinking;
    emitText(out, "reasoning_content", stringField(*block, "thinking"));
  } else if (type == "redacted_thinking") {
    std::string delta = R"({"thinking_blocks":[{"type":"redacted_thinking","data":)";
    appendJsonString(delta, stringField(*block, "data"));
    delta.append("}]}");
    emit(out, delta);
  }
  // Server tools (web search, code execution, MCP), fallbacks and the like have no OpenAI
  // equivalent: their blocks and deltas are skipped.
  return {};
}

void AnthropicStreamTranslator::blockDelta(const json::object& event, std::string& out) {
  Block* b = blockAt(event);
  const auto* delta = objectField(event, "delta");
  if (!b || !delta) return;
  const std::string_view type = stringField(*delta, "type");
  if (type == "text_delta" && b->kind == Kind::kText) {
    emitText(out, "content", stringField(*delta, "text"));
  } else if (type == "input_json_delta") {
    const std::string_view fragment = stringField(*delta, "partial_json");
    if (fragment.empty()) return;
    if (b->kind == Kind::kJsonTool) {
      emitText(out, "content", fragment);
    } else if (b->kind == Kind::kToolUse) {
      emitArguments(out, b->toolIndex, fragment);
      b->sentArguments = true;
    }
  } else if (type == "thinking_delta" && b->kind == Kind::kThinking) {
    emitText(out, "reasoning_content", stringField(*delta, "thinking"));
  } else if (type == "signature_delta" && b->kind == Kind::kThinking) {
    // Clients hand signed thinking back on the next turn (LiteLLM's thinking_blocks).
    std::string d = R"({"thinking_blocks":[{"type":"thinking","thinking":"","signature":)";
    appendJsonString(d, stringField(*delta, "signature"));
    d.append("}]}");
    emit(out, d);
  }
}

void AnthropicStreamTranslator::messageStop(std::string& out) {
  if (!refusal_.empty()) emitText(out, "refusal", refusal_);
  std::string_view finish = finishReasonFor(stopReason_);
  if (finish.empty()) finish = "stop";
  if (jsonAnswered_ && toolCalls_ == 0 && finish == "tool_calls") finish = "stop";
  emit(out, "{}", finish);
  if (clientWantsUsage_ && usage_.present) {
    std::string chunk = head_;
    chunk.append(R"("choices":[],"usage":)");
    chunk.append(json::serialize(usage_.toOpenAi()));
    chunk.push_back('}');
    appendSseData(out, chunk);
  }
  appendSseData(out, "[DONE]");
  done_ = true;
}

}  // namespace switchyard::anthropic
