#pragma once
// LiteLLM's duration strings, used by budget_duration, key durations and the spend-log
// retention settings: "30s", "15m", "24h", "7d", "1mo" (30 days).

#include <cstdint>
#include <optional>
#include <string_view>

namespace switchyard {

// The duration in milliseconds; nullopt when malformed.
std::optional<int64_t> parseBudgetDuration(std::string_view s);

}  // namespace switchyard
