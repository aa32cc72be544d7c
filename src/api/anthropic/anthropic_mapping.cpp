#include "api/anthropic/anthropic_mapping.hpp"

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
