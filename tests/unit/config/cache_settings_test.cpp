// litellm_settings.cache / cache_params and switchyard_settings.cache.

#include "config/cache_settings.hpp"

#include <gtest/gtest.h>

#include "config_test_util.hpp"

namespace switchyard {
namespace {

using namespace std::chrono_literals;
using testing::hasError;
using testing::hasWarning;

LoadResult load(std::string_view extra) { return testing::loadWithOneModel(extra); }

TEST(CacheSettings, OffUnlessAsked) {
  auto r = load("");
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r.snapshot->cache.enabled);
}

TEST(CacheSettings, LitellmKeysLoadUnchanged) {
  auto r = load(R"yaml(
litellm_settings:
  cache: true
  cache_params:
    type: local
    ttl: 300
    namespace: team-x
    mode: default_off
    supported_call_types: ["acompletion", "anthropic_messages", "aembedding"]
switchyard_settings:
  cache: {max_size_mb: 64, namespace_by: team, cache_tool_calls: true, charge_cache_hits: true}
)yaml");
  ASSERT_TRUE(r.ok()) << testing::allDiagnostics(r);
  const CacheSettings& c = r.snapshot->cache;
  EXPECT_TRUE(c.enabled);
  EXPECT_EQ(c.ttl, 300s);
  EXPECT_EQ(c.prefix, "team-x");
  EXPECT_TRUE(c.optIn);
  EXPECT_TRUE(c.chat);
  EXPECT_TRUE(c.messages);
  EXPECT_EQ(c.maxBytes, 64u << 20);
  EXPECT_EQ(c.scope, CacheSettings::Scope::kTeam);
  EXPECT_TRUE(c.cacheToolCalls);
  EXPECT_TRUE(c.chargeHits);
  EXPECT_TRUE(hasWarning(r, "litellm_settings.cache_params.supported_call_types[2]", "not cached"));
}

TEST(CacheSettings, UnsupportedBackendsWarnAndFallBackToLocal) {
  auto r = load(R"yaml(
litellm_settings:
  cache: true
  cache_params: {type: redis, host: localhost, port: 6379, similarity_threshold: 0.8}
)yaml");
  ASSERT_TRUE(r.ok()) << testing::allDiagnostics(r);
  EXPECT_TRUE(hasWarning(r, "litellm_settings.cache_params.type", "in process"));
  EXPECT_TRUE(hasWarning(r, "litellm_settings.cache_params.similarity_threshold", "semantic"));
}

TEST(CacheSettings, BadValuesAreErrors) {
  EXPECT_TRUE(hasError(load("litellm_settings: {cache_params: {type: memcached}}\n"),
                       "litellm_settings.cache_params.type", "unknown cache type"));
  EXPECT_TRUE(hasError(load("litellm_settings: {cache_params: {mode: sometimes}}\n"),
                       "litellm_settings.cache_params.mode", "default_on"));
  EXPECT_TRUE(hasError(load("switchyard_settings: {cache: {namespace_by: user}}\n"),
                       "switchyard_settings.cache.namespace_by", "key, team or global"));
}

}  // namespace
}  // namespace switchyard
