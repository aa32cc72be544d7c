#pragma once
// A tool call's thought signature in an OpenAI-format message, as LiteLLM carries Gemini's
// thoughtSignature: tool_calls[].provider_specific_fields.thought_signature, or (LiteLLM's other
// form, for clients that drop unknown fields) appended to the call's id after "__thought__".

#include <boost/json.hpp>
#include <string_view>

#include "providers/common/json_fields.hpp"

namespace switchyard::common {

inline constexpr std::string_view kThoughtInId = "__thought__";

// Empty when the call carries none.
inline std::string_view thoughtSignatureOf(const boost::json::object& toolCall) {
  if (const auto* fields = objectField(toolCall, "provider_specific_fields")) {
    if (const auto sig = stringField(*fields, "thought_signature"); !sig.empty()) return sig;
  }
  const auto id = stringField(toolCall, "id");
  const auto at = id.find(kThoughtInId);
  return at == std::string_view::npos ? std::string_view() : id.substr(at + kThoughtInId.size());
}

}  // namespace switchyard::common
