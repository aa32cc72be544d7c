// responses_store_max_mb and responses_store_ttl, in general_settings and switchyard_settings.

#include "config/responses_store_settings.hpp"

#include <gtest/gtest.h>

#include "config_test_util.hpp"

namespace switchyard {
namespace {

using testing::hasError;

LoadResult load(std::string_view extra) { return testing::loadWithOneModel(extra); }

TEST(ResponsesStoreSettings, DefaultsAre64MbAnd30Days) {
  auto r = load("");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.snapshot->responsesStore.maxBytes, size_t{64} * 1024 * 1024);
  EXPECT_EQ(r.snapshot->responsesStore.ttlMs, int64_t{30} * 86'400'000);
}

TEST(ResponsesStoreSettings, EitherSectionWithLitellmDurations) {
  auto r = load("general_settings:\n  responses_store_max_mb: 0.5\n  responses_store_ttl: 12h\n");
  ASSERT_TRUE(r.ok()) << testing::allDiagnostics(r);
  EXPECT_TRUE(r.diagnostics.empty()) << testing::allDiagnostics(r);
  EXPECT_EQ(r.snapshot->responsesStore.maxBytes, size_t{512} * 1024);
  EXPECT_EQ(r.snapshot->responsesStore.ttlMs, int64_t{12} * 3'600'000);
  r = load("switchyard_settings:\n  responses_store_max_mb: 2\n  responses_store_ttl: 1mo\n");
  ASSERT_TRUE(r.ok()) << testing::allDiagnostics(r);
  EXPECT_EQ(r.snapshot->responsesStore.maxBytes, size_t{2} * 1024 * 1024);
  EXPECT_EQ(r.snapshot->responsesStore.ttlMs, int64_t{30} * 86'400'000);
  r = load("general_settings:\n  responses_store_ttl: 90\n");
  ASSERT_TRUE(r.ok()) << testing::allDiagnostics(r);
  EXPECT_EQ(r.snapshot->responsesStore.ttlMs, 90'000) << "a number is seconds";
}

TEST(ResponsesStoreSettings, BadValuesAreErrorsNamingTheKey) {
  auto r = load("general_settings:\n  responses_store_ttl: forever\n");
  EXPECT_TRUE(hasError(r, "general_settings.responses_store_ttl", "duration"))
      << testing::allDiagnostics(r);
  r = load("switchyard_settings:\n  responses_store_ttl: 0d\n");
  EXPECT_TRUE(hasError(r, "switchyard_settings.responses_store_ttl", "duration"))
      << testing::allDiagnostics(r);
  r = load("general_settings:\n  responses_store_max_mb: 0\n");
  EXPECT_TRUE(hasError(r, "general_settings.responses_store_max_mb", "greater than 0"))
      << testing::allDiagnostics(r);
  r = load("general_settings:\n  responses_store_max_mb: lots\n");
  EXPECT_TRUE(hasError(r, "general_settings.responses_store_max_mb", ""))
      << testing::allDiagnostics(r);
}

}  // namespace
}  // namespace switchyard
