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
  cache_params: {type: s3, s3_bucket_name: b, similarity_threshold: 0.8}
)yaml");
  ASSERT_TRUE(r.ok()) << testing::allDiagnostics(r);
  EXPECT_TRUE(hasWarning(r, "litellm_settings.cache_params.type", "in process"));
  EXPECT_TRUE(hasWarning(r, "litellm_settings.cache_params.similarity_threshold", "semantic"));
  EXPECT_FALSE(r.snapshot->cache.redis.configured());
}

TEST(CacheSettings, RedisTypeTakesLitellmsKeys) {
  auto r = load(R"yaml(
litellm_settings:
  cache: true
  cache_params: {type: redis, host: cache.internal, port: "6380", password: pw, socket_timeout: 0.05}
switchyard_settings:
  cache: {redis_max_entry_kb: 64}
)yaml");
  ASSERT_TRUE(r.ok()) << testing::allDiagnostics(r);
  const CacheSettings& c = r.snapshot->cache;
  EXPECT_EQ(c.redis.host, "cache.internal");
  EXPECT_EQ(c.redis.port, 6380);
  EXPECT_EQ(c.redis.password, "pw");
  EXPECT_EQ(c.redis.timeout, 50ms);
  EXPECT_EQ(c.redisMaxEntryBytes, 64u * 1024);
  // The router's Redis (shared limits) is another setting.
  EXPECT_FALSE(r.snapshot->sharedLimits.redis.configured());

  auto url = load(R"yaml(
litellm_settings:
  cache: true
  cache_params: {type: redis, url: "redis://u:secret@10.0.0.5:7000/2"}
)yaml");
  ASSERT_TRUE(url.ok()) << testing::allDiagnostics(url);
  EXPECT_EQ(url.snapshot->cache.redis.host, "10.0.0.5");
  EXPECT_EQ(url.snapshot->cache.redis.port, 7000);
  EXPECT_EQ(url.snapshot->cache.redis.username, "u");
  EXPECT_EQ(url.snapshot->cache.redis.password, "secret");
  EXPECT_EQ(url.snapshot->cache.redis.db, 2);
}

TEST(CacheSettings, RedisFromTheEnvironmentAsLitellmReadsIt) {
  const std::string base = R"yaml(
model_list:
  - model_name: m
    litellm_params: {model: openai/m, api_key: k}
litellm_settings:
  cache: true
  cache_params: {type: redis}
)yaml";
  auto r = loadConfigText(
      base,
      testing::mapEnvironment(
          {{"REDIS_HOST", "redis.svc"}, {"REDIS_PORT", "6390"}, {"REDIS_PASSWORD", "pw"}}),
      "test");
  ASSERT_TRUE(r.ok()) << testing::allDiagnostics(r);
  EXPECT_EQ(r.snapshot->cache.redis.host, "redis.svc");
  EXPECT_EQ(r.snapshot->cache.redis.port, 6390);
  EXPECT_EQ(r.snapshot->cache.redis.password, "pw");
  auto u = loadConfigText(base, testing::mapEnvironment({{"REDIS_URL", "redis://r:6400"}}), "t");
  ASSERT_TRUE(u.ok()) << testing::allDiagnostics(u);
  EXPECT_EQ(u.snapshot->cache.redis.port, 6400);
  // os.environ/ references, the way LiteLLM configs write them.
  auto refs = loadConfigText(
      std::string(R"yaml(
model_list:
  - model_name: m
    litellm_params: {model: openai/m, api_key: k}
litellm_settings:
  cache: true
  cache_params: {type: redis, host: os.environ/MY_REDIS_HOST, port: os.environ/MY_REDIS_PORT}
)yaml"),
      testing::mapEnvironment({{"MY_REDIS_HOST", "h"}, {"MY_REDIS_PORT", "7001"}}), "t");
  ASSERT_TRUE(refs.ok()) << testing::allDiagnostics(refs);
  EXPECT_EQ(refs.snapshot->cache.redis.host, "h");
  EXPECT_EQ(refs.snapshot->cache.redis.port, 7001);
  // Nowhere to connect: an error, not a silent in-process cache.
  EXPECT_TRUE(hasError(loadConfigText(base, testing::mapEnvironment({}), "t"),
                       "litellm_settings.cache_params.type", "needs host"));
}

TEST(CacheSettings, BadValuesAreErrors) {
  EXPECT_TRUE(hasError(load("litellm_settings: {cache_params: {type: memcached}}\n"),
                       "litellm_settings.cache_params.type", "unknown cache type"));
  EXPECT_TRUE(hasError(load("litellm_settings: {cache_params: {mode: sometimes}}\n"),
                       "litellm_settings.cache_params.mode", "default_on"));
  EXPECT_TRUE(hasError(load("litellm_settings: {cache_params: {type: redis, url: \"http://x\"}}\n"),
                       "litellm_settings.cache_params.url", "redis://"));
  EXPECT_TRUE(hasError(load("litellm_settings: {cache_params: {type: redis, host: h, port: 0}}\n"),
                       "litellm_settings.cache_params.port"));
  EXPECT_TRUE(hasError(load("switchyard_settings: {cache: {namespace_by: user}}\n"),
                       "switchyard_settings.cache.namespace_by", "key, team or global"));
}

}  // namespace
}  // namespace switchyard
