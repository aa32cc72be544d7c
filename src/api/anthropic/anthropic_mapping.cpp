#include "api/anthropic/anthropic_mapping.hpp"

#include <algorithm>

namespace switchyard::anthropic_map {
namespace {

namespace json = boost::json;

struct ReasonRow {
  std::string_view openAi;
  std::string_view anthropic;
};

constexpr ReasonRow kFinishToStop[] = {
    {"stop", "end_turn"},          {"length", "max_tokens"},      {"tool_calls", "tool_use"},
    {"function_call", "tool_use"}, {"content_filter", "refusal"},
};

// The budgets the outbound direction gives medium and high (LiteLLM's), as thresholds, so that
// effort → budget → effort is stable.
constexpr int64_t kMediumBudget = 2048;
constexpr int64_t kHighBudget = 4096;

int64_t intField(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (!v) return 0;
  if (v->is_int64()) return std::max<int64_t>(0, v->get_int64());
  if (v->is_uint64()) return static_cast<int64_t>(std::min<uint64_t>(v->get_uint64(), INT64_MAX));
  if (v->is_double() && v->get_double() > 0 && v->get_double() < 9e18) {
    return static_cast<int64_t>(v->get_double());
  }
  return 0;
}

int64_t nestedInt(const json::object& o, std::string_view obj, std::string_view key) {
  const auto* v = o.if_contains(obj);
  return v && v->is_object() ? intField(v->get_object(), key) : 0;
}

}  // namespace

std::string_view stopReasonFromFinishReason(std::string_view finishReason) {
  for (const auto& row : kFinishToStop) {
    if (row.openAi == finishReason) return row.anthropic;
  }
  return "end_turn";
}

std::string_view reasoningEffortFromBudget(int64_t budgetTokens) {
  if (budgetTokens < kMediumBudget) return "low";
  if (budgetTokens < kHighBudget) return "medium";
  return "high";
}

AnthropicTokenCounts usageFromOpenAi(const json::object& usage) {
  AnthropicTokenCounts u;
  const int64_t prompt = intField(usage, "prompt_tokens");
  const int64_t completion = intField(usage, "completion_tokens");
  const int64_t total = intField(usage, "total_tokens");
  u.cacheReadInputTokens = nestedInt(usage, "prompt_tokens_details", "cached_tokens");
  if (u.cacheReadInputTokens == 0)
    u.cacheReadInputTokens = intField(usage, "prompt_cache_hit_tokens");
  u.cacheCreationInputTokens = nestedInt(usage, "prompt_tokens_details", "cache_write_tokens");
  if (u.cacheCreationInputTokens == 0) {
    u.cacheCreationInputTokens = nestedInt(usage, "prompt_tokens_details", "cache_creation_tokens");
  }
  if (u.cacheCreationInputTokens == 0) {
    u.cacheCreationInputTokens = intField(usage, "cache_creation_input_tokens");
  }
  u.cacheReadInputTokens = std::min(u.cacheReadInputTokens, prompt);
  u.cacheCreationInputTokens =
      std::min(u.cacheCreationInputTokens, prompt - u.cacheReadInputTokens);
  u.inputTokens = prompt - u.cacheReadInputTokens - u.cacheCreationInputTokens;
  u.outputTokens = total > prompt + completion ? total - prompt : completion;
  u.thinkingTokens =
      std::min(nestedInt(usage, "completion_tokens_details", "reasoning_tokens"), u.outputTokens);
  return u;
}

json::object toJson(const AnthropicTokenCounts& u) {
  json::object out{{"input_tokens", u.inputTokens},
                   {"output_tokens", u.outputTokens},
                   {"cache_creation_input_tokens", u.cacheCreationInputTokens},
                   {"cache_read_input_tokens", u.cacheReadInputTokens}};
  if (u.thinkingTokens > 0) {
    out["output_tokens_details"] = json::object{{"thinking_tokens", u.thinkingTokens}};
  }
  return out;
}

}  // namespace switchyard::anthropic_map
