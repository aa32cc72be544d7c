// general_settings.disable_spend_logs, the spend-log retention keys and
// switchyard_settings.spend_logs_max_rows.

#include <gtest/gtest.h>

#include "config_test_util.hpp"

namespace switchyard {
namespace {

using namespace std::chrono_literals;
using testing::hasError;

LoadResult load(std::string_view extra) { return testing::loadWithOneModel(extra); }

TEST(SpendLogSettings, DefaultsKeepEveryRowForever) {
  auto r = load("");
  ASSERT_TRUE(r.ok());
  const GovernanceSettings& g = r.snapshot->governance;
  EXPECT_FALSE(g.disableSpendLogs);
  EXPECT_EQ(g.spendLogsRetention, 0ms);
  EXPECT_EQ(g.spendLogsRetentionInterval, 24h);
  EXPECT_EQ(g.spendLogsMaxRows, 0);
}

TEST(SpendLogSettings, LitellmKeysAndOurCapLoadWithoutWarnings) {
  auto r = load(R"yaml(
general_settings:
  disable_spend_logs: true
  maximum_spend_logs_retention_period: "7d"
  maximum_spend_logs_retention_interval: 3600
switchyard_settings:
  spend_logs_max_rows: 1000000
)yaml");
  ASSERT_TRUE(r.ok()) << testing::allDiagnostics(r);
  EXPECT_TRUE(r.diagnostics.empty()) << testing::allDiagnostics(r);
  const GovernanceSettings& g = r.snapshot->governance;
  EXPECT_TRUE(g.disableSpendLogs);
  EXPECT_EQ(g.spendLogsRetention, 7 * 24h);
  EXPECT_EQ(g.spendLogsRetentionInterval, 1h);
  EXPECT_EQ(g.spendLogsMaxRows, 1'000'000);
}

TEST(SpendLogSettings, MalformedValuesAreErrorsNamingTheKey) {
  auto r = load(R"yaml(
general_settings:
  maximum_spend_logs_retention_period: "7 days"
  disable_spend_logs: sometimes
switchyard_settings:
  spend_logs_max_rows: 0
)yaml");
  EXPECT_FALSE(r.ok());
  EXPECT_TRUE(hasError(r, "general_settings.maximum_spend_logs_retention_period", "duration"));
  EXPECT_TRUE(hasError(r, "general_settings.disable_spend_logs", ""));
  EXPECT_TRUE(hasError(r, "switchyard_settings.spend_logs_max_rows", ""));
}

}  // namespace
}  // namespace switchyard
