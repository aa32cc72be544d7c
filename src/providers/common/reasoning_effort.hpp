#pragma once
// OpenAI's reasoning_effort as the thinking budget (tokens) of providers that take a budget
// instead (Anthropic, Claude on Bedrock, Gemini).

#include <cstdint>
#include <optional>
#include <string_view>

namespace switchyard::common {

// LiteLLM's budgets: minimal and low 1024 (Anthropic's minimum), medium 2048, high 4096; none 0
// (no thinking). nullopt for any other value.
std::optional<int64_t> thinkingBudgetForEffort(std::string_view effort);

}  // namespace switchyard::common
