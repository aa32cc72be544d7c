#include "api/openai/chat_stream_encoder.hpp"

#include <charconv>

#include "api/openai/usage_json.hpp"
#include "api/sse_write.hpp"
#include "core/json_escape.hpp"

namespace switchyard {

namespace {

void appendInt(std::string& out, int64_t n) {
  char digits[24];
  out.append(digits, std::to_chars(digits, digits + sizeof digits, n).ptr);
}

}  // namespace

void OpenAiChatStreamEncoder::chunk(int32_t choice, std::string_view delta,
                                    std::string_view finishReason) {
  out_.append("data: ");
  out_.append(head_);
  out_.append(R"("choices":[{"index":)");
  appendInt(out_, choice);
  out_.append(R"(,"delta":)");
  out_.append(delta);
  out_.append(R"(,"logprobs":null,"finish_reason":)");
  if (finishReason.empty()) {
    out_.append("null");
  } else {
    appendJsonString(out_, finishReason);
  }
  out_.append("}]}\n\n");
}

void OpenAiChatStreamEncoder::ensureRole(int32_t choice) {
  if (choice < 0) return;
  const auto i = static_cast<size_t>(choice);
  if (i < roleSent_.size() && roleSent_[i]) return;
  if (i >= roleSent_.size()) roleSent_.resize(i + 1);
  roleSent_[i] = true;
  chunk(choice, R"({"role":"assistant","content":""})");
}

void OpenAiChatStreamEncoder::textDelta(int32_t choice, std::string_view field,
                                        std::string_view text) {
  if (text.empty()) return;
  ensureRole(choice);
  scratch_.assign("{");
  appendJsonString(scratch_, field);
  scratch_.push_back(':');
  appendJsonString(scratch_, text);
  scratch_.push_back('}');
  chunk(choice, scratch_);
}

void OpenAiChatStreamEncoder::onEvent(const StreamEvent& e) {
  if (ended_) return;
  using Kind = StreamEvent::Kind;
  switch (e.kind) {
    case Kind::kStart:
      head_.assign(R"({"id":)");
      appendJsonString(head_, e.id);
      head_.append(R"(,"object":"chat.completion.chunk","created":)");
      appendInt(head_, e.created);
      head_.append(R"(,"model":)");
      appendJsonString(head_, e.name);
      head_.push_back(',');
      ensureRole(0);
      break;
    case Kind::kText:
      textDelta(e.choice, "content", e.text);
      break;
    case Kind::kReasoning:
      textDelta(e.choice, "reasoning_content", e.text);
      break;
    case Kind::kRefusal:
      textDelta(e.choice, "refusal", e.text);
      break;
    case Kind::kReasoningSignature:
      // LiteLLM's thinking_blocks: clients hand signed thinking back on the next turn.
      ensureRole(e.choice);
      scratch_.assign(R"({"thinking_blocks":[{"type":"thinking","thinking":"","signature":)");
      appendJsonString(scratch_, e.text);
      scratch_.append("}]}");
      chunk(e.choice, scratch_);
      break;
    case Kind::kRedactedReasoning:
      ensureRole(e.choice);
      scratch_.assign(R"({"thinking_blocks":[{"type":"redacted_thinking","data":)");
      appendJsonString(scratch_, e.text);
      scratch_.append("}]}");
      chunk(e.choice, scratch_);
      break;
    case Kind::kToolCall:
      ensureRole(e.choice);
      scratch_.assign(R"({"tool_calls":[{"index":)");
      appendInt(scratch_, e.index);
      scratch_.append(R"(,"id":)");
      appendJsonString(scratch_, e.id);
      scratch_.append(R"(,"type":"function","function":{"name":)");
      appendJsonString(scratch_, e.name);
      scratch_.append(R"(,"arguments":""})");
      if (!e.text.empty()) {
        scratch_.append(R"(,"provider_specific_fields":{"thought_signature":)");
        appendJsonString(scratch_, e.text);
        scratch_.append("}");
      }
      scratch_.append("}]}");
      chunk(e.choice, scratch_);
      break;
    case Kind::kToolArguments:
      if (e.text.empty()) break;
      scratch_.assign(R"({"tool_calls":[{"index":)");
      appendInt(scratch_, e.index);
      scratch_.append(R"(,"function":{"arguments":)");
      appendJsonString(scratch_, e.text);
      scratch_.append("}}]}");
      chunk(e.choice, scratch_);
      break;
    case Kind::kUsage:
      usage_ = *e.usage;
      break;
    case Kind::kFinish:
      ensureRole(e.choice);
      chunk(e.choice, "{}", e.text.empty() ? std::string_view("stop") : e.text);
      break;
    case Kind::kEnd:
      end();
      break;
    case Kind::kError:
      fail(*e.error);
      break;
  }
}

void OpenAiChatStreamEncoder::end() {
  if (wantsUsage_ && usage_.present) {
    out_.append("data: ");
    out_.append(head_);
    out_.append(R"("choices":[],"usage":)");
    appendOpenAiUsage(out_, usage_);
    out_.append("}\n\n");
  }
  appendSseData(out_, "[DONE]");
  ended_ = true;
}

void OpenAiChatStreamEncoder::fail(const Error& e) {
  // OpenAI clients read a chunk with an `error` object as a failure, and the missing [DONE]
  // tells them the answer is incomplete.
  if (ended_) return;
  appendSseData(out_, e.toOpenAiJson());
  ended_ = true;
}

}  // namespace switchyard
