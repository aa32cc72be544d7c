#pragma once
// The small tables of the inbound Anthropic direction (/v1/messages answered from an OpenAI-format
// answer). The outbound Anthropic provider has its inverses (providers/anthropic/anthropic_common,
// providers/common/reasoning_effort); the tests check that a round trip through both maps every
// value back to itself.

#include <boost/json/object.hpp>
#include <cstdint>
#include <string_view>

namespace switchyard::anthropic_map {

// OpenAI finish_reason → Anthropic stop_reason. Unknown or absent reasons end the turn.
// ("stop" becomes "stop_sequence" only when the caller knows a stop sequence matched.)
std::string_view stopReasonFromFinishReason(std::string_view finishReason);

// Thinking budget (Anthropic `thinking.budget_tokens`) → OpenAI `reasoning_effort`.
std::string_view reasoningEffortFromBudget(int64_t budgetTokens);

// Token counts in Anthropic's split. Convention on the OpenAI side (as OpenAI reports it, and as
// the outbound adapter reports it): prompt_tokens INCLUDES cached and cache-creation tokens,
// completion_tokens INCLUDES reasoning tokens.
struct AnthropicTokenCounts {
  int64_t inputTokens = 0;  // uncached prompt tokens only
  int64_t outputTokens = 0;
  int64_t cacheReadInputTokens = 0;
  int64_t cacheCreationInputTokens = 0;
  int64_t thinkingTokens = 0;  // part of outputTokens
};

// {"input_tokens", "output_tokens", "cache_creation_input_tokens", "cache_read_input_tokens"
//  [, "output_tokens_details": {"thinking_tokens"}]}
boost::json::object toJson(const AnthropicTokenCounts& usage);

}  // namespace switchyard::anthropic_map
