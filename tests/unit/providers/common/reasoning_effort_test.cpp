#include "providers/common/reasoning_effort.hpp"

#include <gtest/gtest.h>

namespace switchyard::common {
namespace {

TEST(ReasoningEffort, BudgetsAsLiteLlmGivesThem) {
  EXPECT_EQ(thinkingBudgetForEffort("none"), 0);
  EXPECT_EQ(thinkingBudgetForEffort("minimal"), 1024);
  EXPECT_EQ(thinkingBudgetForEffort("low"), 1024);
  EXPECT_EQ(thinkingBudgetForEffort("medium"), 2048);
  EXPECT_EQ(thinkingBudgetForEffort("high"), 4096);
}

TEST(ReasoningEffort, OtherValuesHaveNoBudget) {
  for (std::string_view effort : {"", "HIGH", "max", "xhigh"}) {
    EXPECT_FALSE(thinkingBudgetForEffort(effort)) << effort;
  }
}

}  // namespace
}  // namespace switchyard::common
