#include "providers/common/reasoning_effort.hpp"

#include <array>

namespace switchyard::common {

namespace {

struct EffortRow {
  std::string_view effort;
  int64_t budget;
};

constexpr std::array<EffortRow, 5> kBudgets = {{
    {"none", 0},
    {"minimal", 1024},
    {"low", 1024},
    {"medium", 2048},
    {"high", 4096},
}};

}  // namespace

std::optional<int64_t> thinkingBudgetForEffort(std::string_view effort) {
  for (const auto& row : kBudgets) {
    if (row.effort == effort) return row.budget;
  }
  return std::nullopt;
}

}  // namespace switchyard::common
