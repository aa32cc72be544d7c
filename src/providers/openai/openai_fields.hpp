#pragma once
// Fields of OpenAI-format messages, read alike from whole answers and stream chunks.

#include <boost/json/object.hpp>
#include <string_view>

#include "api/events/stream_event.hpp"
#include "providers/common/json_fields.hpp"

namespace switchyard {

// Reasoning text of a message or a delta: reasoning_content (DeepSeek, xAI, vLLM) or reasoning
// (OpenRouter, Groq).
inline std::string_view reasoningOf(const boost::json::object& message) {
  const std::string_view r = common::stringField(message, "reasoning_content");
  return r.empty() ? common::stringField(message, "reasoning") : r;
}

// The readable parts of a message (whole answer) or a delta (stream chunk), in answer order:
// reasoning, its signatures and redacted blocks (LiteLLM's thinking_blocks), text (a string or
// an array of parts), refusal. Tool calls differ between the two and are the caller's.
void emitMessageText(const boost::json::object& message, int32_t choice, EventSink& sink);

}  // namespace switchyard
