#include "providers/anthropic/anthropic_common.hpp"

#include <boost/json.hpp>

namespace switchyard::anthropic {

namespace json = boost::json;

namespace {

bool readCount(const json::object& o, std::string_view key, int64_t& out) {
  const auto* v = o.if_contains(key);
  if (!v) return false;
  if (v->is_int64()) {
    out = v->get_int64();
  } else if (v->is_uint64()) {
    out = static_cast<int64_t>(v->get_uint64());
  } else if (v->is_double()) {
    out = static_cast<int64_t>(v->get_double());
  } else {
    return false;  // null: not reported
  }
  return true;
}

}  // namespace

void AnthropicUsage::update(const json::object& usage) {
  present = true;
  readCount(usage, "input_tokens", input);
  readCount(usage, "output_tokens", output);
  readCount(usage, "cache_read_input_tokens", cacheRead);
  readCount(usage, "cache_creation_input_tokens", cacheCreation);
}

void AnthropicUsage::fill(Usage& out) const {
  if (!present) return;
  out.present = true;
  out.promptTokens = input + cacheRead + cacheCreation;
  out.completionTokens = output;
  out.totalTokens = out.promptTokens + out.completionTokens;
  out.cachedPromptTokens = cacheRead;
  out.cacheWriteTokens = cacheCreation;
}

json::object AnthropicUsage::toOpenAi() const {
  const int64_t prompt = input + cacheRead + cacheCreation;
  return json::object{
      {"prompt_tokens", prompt},
      {"completion_tokens", output},
      {"total_tokens", prompt + output},
      {"prompt_tokens_details",
       json::object{{"cached_tokens", cacheRead}, {"cache_creation_tokens", cacheCreation}}},
      {"cache_creation_input_tokens", cacheCreation},
      {"cache_read_input_tokens", cacheRead},
  };
}

std::string_view finishReasonFor(std::string_view stopReason) {
  if (stopReason == "max_tokens" || stopReason == "model_context_window_exceeded") return "length";
  if (stopReason == "tool_use") return "tool_calls";
  if (stopReason == "refusal") return "content_filter";
  if (stopReason.empty()) return {};
  // end_turn, stop_sequence, pause_turn and reasons added later.
  return "stop";
}

bool wantsJsonTool(const json::object& body) {
  const auto* f = body.if_contains("response_format");
  const auto* obj = f ? f->if_object() : nullptr;
  const auto* type = obj ? obj->if_contains("type") : nullptr;
  return type && type->is_string() &&
         (type->get_string() == "json_object" || type->get_string() == "json_schema");
}

}  // namespace switchyard::anthropic
