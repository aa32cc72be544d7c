#pragma once
// Fields of OpenAI-format messages that hosts spell differently.

#include <boost/json/object.hpp>
#include <string_view>

#include "providers/common/json_fields.hpp"

namespace switchyard {

// Reasoning text of a message or a delta: reasoning_content (DeepSeek, xAI, vLLM) or reasoning
// (OpenRouter, Groq).
inline std::string_view reasoningOf(const boost::json::object& message) {
  const std::string_view r = common::stringField(message, "reasoning_content");
  return r.empty() ? common::stringField(message, "reasoning") : r;
}

}  // namespace switchyard
