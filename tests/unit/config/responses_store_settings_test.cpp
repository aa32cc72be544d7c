// responses_store_max_mb, _ttl and _scope, in general_settings and switchyard_settings, and
// LiteLLM's general_settings.disable_responses_id_security.

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

TEST(ResponsesStoreSettings, ScopeIsPerKeyUnlessSaidOtherwise) {
  auto r = load("");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.snapshot->responsesStore.scope, ResponsesScope::kKey);
  r = load("switchyard_settings:\n  responses_store_scope: team\n");
  ASSERT_TRUE(r.ok()) << testing::allDiagnostics(r);
  EXPECT_TRUE(r.diagnostics.empty()) << testing::allDiagnostics(r);
  EXPECT_EQ(r.snapshot->responsesStore.scope, ResponsesScope::kTeam);
  r = load("general_settings:\n  responses_store_scope: global\n");
  ASSERT_TRUE(r.ok()) << testing::allDiagnostics(r);
  EXPECT_EQ(r.snapshot->responsesStore.scope, ResponsesScope::kGlobal);
  r = load("general_settings:\n  disable_responses_id_security: true\n");
  ASSERT_TRUE(r.ok()) << testing::allDiagnostics(r);
  EXPECT_TRUE(r.diagnostics.empty()) << testing::allDiagnostics(r);
  EXPECT_EQ(r.snapshot->responsesStore.scope, ResponsesScope::kGlobal);
  r = load("general_settings:\n  disable_responses_id_security: false\n");
  ASSERT_TRUE(r.ok()) << testing::allDiagnostics(r);
  EXPECT_EQ(r.snapshot->responsesStore.scope, ResponsesScope::kKey);
}

TEST(ResponsesStoreSettings, BadScopesAreErrors) {
  auto r = load("switchyard_settings:\n  responses_store_scope: user\n");
  EXPECT_TRUE(hasError(r, "switchyard_settings.responses_store_scope", "key, team or global"))
      << testing::allDiagnostics(r);
  r = load("general_settings:\n  disable_responses_id_security: maybe\n");
  EXPECT_TRUE(hasError(r, "general_settings.disable_responses_id_security", ""))
      << testing::allDiagnostics(r);
}

}  // namespace
}  // namespace switchyard
