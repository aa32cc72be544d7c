#include "providers/openai/openai_fields.hpp"

namespace switchyard {

void emitMessageText(const boost::json::object& message, int32_t choice, EventSink& sink) {
  using Kind = StreamEvent::Kind;
  if (auto r = reasoningOf(message); !r.empty()) {
    sink.onEvent(StreamEvent::delta(Kind::kReasoning, r, choice));
  }
  if (const auto* blocks = message.if_contains("thinking_blocks"); blocks && blocks->is_array()) {
    for (const auto& b : blocks->get_array()) {
      const auto* block = b.if_object();
      if (!block) continue;
      if (common::stringField(*block, "type") == "redacted_thinking") {
        sink.onEvent(StreamEvent::delta(Kind::kRedactedReasoning,
                                        common::stringField(*block, "data"), choice));
      } else if (auto sig = common::stringField(*block, "signature"); !sig.empty()) {
        sink.onEvent(StreamEvent::delta(Kind::kReasoningSignature, sig, choice));
      }
    }
  }
  if (const auto* content = message.if_contains("content")) {
    if (content->is_string()) {
      sink.onEvent(StreamEvent::delta(Kind::kText, content->get_string(), choice));
    } else if (const auto* parts = content->if_array()) {
      // Some providers send content as an array of parts instead of a string.
      for (const auto& p : *parts) {
        if (const auto* part = p.if_object()) {
          sink.onEvent(StreamEvent::delta(Kind::kText, common::stringField(*part, "text"), choice));
        }
      }
    }
  }
  if (auto refusal = common::stringField(message, "refusal"); !refusal.empty()) {
    sink.onEvent(StreamEvent::delta(Kind::kRefusal, refusal, choice));
  }
}

}  // namespace switchyard
