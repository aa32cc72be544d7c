// litellm_settings.max_end_user_budget and disable_end_user_cost_tracking.

#include <gtest/gtest.h>

#include "config_test_util.hpp"

namespace switchyard {
namespace {

using testing::hasError;

LoadResult load(std::string_view extra) { return testing::loadWithOneModel(extra); }

TEST(EndUserSettings, DefaultsTrackEndUsersWithoutABudget) {
  auto r = load("");
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r.snapshot->governance.trackEndUsers);
  EXPECT_FALSE(r.snapshot->governance.maxEndUserBudget);
}

TEST(EndUserSettings, LitellmKeysLoadWithoutWarnings) {
  auto r = load(R"yaml(
litellm_settings:
  max_end_user_budget: 0.0001
  disable_end_user_cost_tracking: true
)yaml");
  ASSERT_TRUE(r.ok()) << testing::allDiagnostics(r);
  EXPECT_TRUE(r.diagnostics.empty()) << testing::allDiagnostics(r);
  ASSERT_TRUE(r.snapshot->governance.maxEndUserBudget);
  EXPECT_DOUBLE_EQ(*r.snapshot->governance.maxEndUserBudget, 0.0001);
  EXPECT_FALSE(r.snapshot->governance.trackEndUsers);
}

TEST(EndUserSettings, MalformedValuesAreErrorsNamingTheKey) {
  auto r = load(R"yaml(
litellm_settings:
  max_end_user_budget: -1
  disable_end_user_cost_tracking: maybe
)yaml");
  EXPECT_FALSE(r.ok());
  EXPECT_TRUE(hasError(r, "litellm_settings.max_end_user_budget", ""));
  EXPECT_TRUE(hasError(r, "litellm_settings.disable_end_user_cost_tracking", ""));
}

}  // namespace
}  // namespace switchyard
