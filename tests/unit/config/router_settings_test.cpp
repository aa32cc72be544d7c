#include <gtest/gtest.h>

#include "config_test_util.hpp"

namespace switchyard {
namespace {

using testing::hasError;
using testing::hasWarning;
using testing::mapEnvironment;

LoadResult load(const std::string& yaml) {
  return loadConfigText(yaml, mapEnvironment({}), "test.yaml");
}

constexpr std::string_view kModels = R"(
model_list:
  - model_name: a
    litellm_params: {model: openai/a, api_key: k, order: 1, max_parallel_requests: 4,
                     input_cost_per_token: 0.000001}
    model_info: {output_cost_per_token: 0.000002}
  - model_name: a
    litellm_params: {model: openai/a2, api_key: k}
  - model_name: b
    litellm_params: {model: openai/b, api_key: k}
)";

TEST(RouterSettings, DefaultsFollowLiteLLM) {
  auto r = load(std::string(kModels));
  ASSERT_TRUE(r.ok()) << testing::allDiagnostics(r);
  const auto& s = r.snapshot->router;
  EXPECT_EQ(s.strategy, RoutingStrategy::kSimpleShuffle);
  EXPECT_EQ(s.numRetries, 2);
  EXPECT_EQ(s.allowedFails, 3);
  EXPECT_EQ(s.cooldownTime, std::chrono::seconds(5));
  EXPECT_EQ(s.maxFallbacks, 5);
  EXPECT_TRUE(s.cooldownsEnabled);
  EXPECT_TRUE(s.fallbacks.empty());
}

TEST(RouterSettings, ParsesEveryRoutingKey) {
  auto r = load(std::string(kModels) + R"(
router_settings:
  routing_strategy: latency-based-routing
  num_retries: 4
  retry_policy: {RateLimitErrorRetries: 1, InternalServerErrorRetries: 0, AuthenticationErrorRetries: 2}
  fallbacks: [{a: [b]}, {"*": b}]
  context_window_fallbacks: [{a: [b]}]
  content_policy_fallbacks: [{b: a}]
  default_fallbacks: [b]
  max_fallbacks: 2
  allowed_fails: 1
  cooldown_time: 0.5
  retry_after: 0.2
  timeout: 30
  stream_timeout: 10
switchyard_settings:
  router:
    stream_ttft_timeout: 2.5
    total_timeout: 60
    backoff_base: 0.05
    backoff_max: 1
    max_retry_wait: 3
    hedging: {a: {delay: 0.3}}
)");
  ASSERT_TRUE(r.ok()) << testing::allDiagnostics(r);
  const auto& s = r.snapshot->router;
  EXPECT_EQ(s.strategy, RoutingStrategy::kLatencyBased);
  EXPECT_EQ(s.numRetries, 4);
  EXPECT_EQ(s.retriesFor(ErrorClass::kRateLimited), 1);
  EXPECT_EQ(s.retriesFor(ErrorClass::kUpstreamServer), 0);
  EXPECT_EQ(s.retriesFor(ErrorClass::kConnectFailed), 0);
  EXPECT_EQ(s.retriesFor(ErrorClass::kUnauthorized), 2);
  EXPECT_EQ(s.retriesFor(ErrorClass::kTimeout), 4);
  EXPECT_EQ(s.fallbacks.at("a"), std::vector<std::string>{"b"});
  EXPECT_EQ(s.fallbacks.at("*"), std::vector<std::string>{"b"});
  EXPECT_EQ(s.contextWindowFallbacks.at("a"), std::vector<std::string>{"b"});
  EXPECT_EQ(s.contentPolicyFallbacks.at("b"), std::vector<std::string>{"a"});
  EXPECT_EQ(s.defaultFallbacks, std::vector<std::string>{"b"});
  EXPECT_EQ(s.maxFallbacks, 2);
  EXPECT_EQ(s.allowedFails, 1);
  EXPECT_EQ(s.cooldownTime, std::chrono::milliseconds(500));
  EXPECT_EQ(s.retryAfterMin, std::chrono::milliseconds(200));
  EXPECT_EQ(s.streamTtftTimeout, std::chrono::milliseconds(2500));
  EXPECT_EQ(s.totalTimeout, std::chrono::seconds(60));
  EXPECT_EQ(s.backoffBase, std::chrono::milliseconds(50));
  EXPECT_EQ(s.backoffMax, std::chrono::seconds(1));
  EXPECT_EQ(s.maxRetryWait, std::chrono::seconds(3));
  EXPECT_EQ(s.hedging.at("a").delay, std::chrono::milliseconds(300));
  EXPECT_FALSE(hasWarning(r, "switchyard_settings.router.hedging", "not applied yet"));
  const auto& d = *r.snapshot->deployments[0];
  EXPECT_EQ(d.order, 1);
  EXPECT_EQ(d.maxParallelRequests, 4);
  EXPECT_DOUBLE_EQ(*d.inputCostPerToken, 0.000001);
  EXPECT_DOUBLE_EQ(*d.outputCostPerToken, 0.000002);  // from model_info
  EXPECT_FALSE(r.snapshot->deployments[1]->order);
}

TEST(RouterSettings, LitellmSettingsSupplyRetriesAndFallbacks) {
  auto r = load(std::string(kModels) + R"(
litellm_settings:
  num_retries: 7
  fallbacks: [{a: [b]}]
)");
  ASSERT_TRUE(r.ok()) << testing::allDiagnostics(r);
  EXPECT_EQ(r.snapshot->router.numRetries, 7);
  EXPECT_EQ(r.snapshot->router.fallbacks.at("a"), std::vector<std::string>{"b"});
}

TEST(RouterSettings, CooldownZeroOrDisabledTurnsTheBreakerOff) {
  auto zero = load(std::string(kModels) + "router_settings: {cooldown_time: 0}\n");
  ASSERT_TRUE(zero.ok());
  EXPECT_FALSE(zero.snapshot->router.cooldownsEnabled);
  auto off = load(std::string(kModels) + "router_settings: {disable_cooldowns: true}\n");
  ASSERT_TRUE(off.ok());
  EXPECT_FALSE(off.snapshot->router.cooldownsEnabled);
}

TEST(RouterSettings, WrongValuesAreErrorsWithTheirPath) {
  auto r = load(std::string(kModels) + R"(
router_settings:
  retry_policy: {RateLimitRetries: 1, TimeoutErrorRetries: -1}
  max_fallbacks: lots
  disable_cooldowns: maybe
  retry_after: -2
switchyard_settings:
  router:
    stream_ttft_timeout: 0
    backoff_base: 2
    backoff_max: 1
    hedging: {a: {latency_factor: 0.5}, nope: {}}
    speed: fast
)");
  EXPECT_FALSE(r.ok());
  EXPECT_TRUE(hasError(r, "router_settings.retry_policy.RateLimitRetries", "unknown retry policy"));
  EXPECT_TRUE(hasError(r, "router_settings.retry_policy.TimeoutErrorRetries", "whole number"));
  EXPECT_TRUE(hasError(r, "router_settings.max_fallbacks"));
  EXPECT_TRUE(hasError(r, "router_settings.disable_cooldowns"));
  EXPECT_TRUE(hasError(r, "router_settings.retry_after"));
  EXPECT_TRUE(hasError(r, "switchyard_settings.router.stream_ttft_timeout"));
  EXPECT_TRUE(hasError(r, "switchyard_settings.router.backoff_max", "backoff_base"));
  EXPECT_TRUE(hasError(r, "switchyard_settings.router.hedging.a.latency_factor"));
  EXPECT_TRUE(hasWarning(r, "switchyard_settings.router.hedging.nope", "not a model group"));
  EXPECT_TRUE(hasWarning(r, "switchyard_settings.router.speed", "unknown key"));
}

TEST(RouterSettings, BackgroundHealthChecksFromGeneralSettings) {
  auto r = load(std::string(kModels) +
                "general_settings: {background_health_checks: true, health_check_interval: 30}\n");
  ASSERT_TRUE(r.ok()) << testing::allDiagnostics(r);
  EXPECT_TRUE(r.snapshot->router.backgroundHealthChecks);
  EXPECT_EQ(r.snapshot->router.healthCheckInterval, std::chrono::seconds(30));
  auto bad =
      load(std::string(kModels) +
           "general_settings: {background_health_checks: often, health_check_interval: 0}\n");
  EXPECT_TRUE(hasError(bad, "general_settings.background_health_checks"));
  EXPECT_TRUE(hasError(bad, "general_settings.health_check_interval"));
}

TEST(RouterSettings, DeploymentRoutingParamsAreValidated) {
  auto r = load(R"(
model_list:
  - model_name: a
    litellm_params: {model: openai/a, api_key: k, order: -1, max_parallel_requests: 0,
                     input_cost_per_token: cheap}
)");
  EXPECT_FALSE(r.ok());
  EXPECT_TRUE(hasError(r, "model_list[0].litellm_params.order"));
  EXPECT_TRUE(hasError(r, "model_list[0].litellm_params.max_parallel_requests"));
  EXPECT_TRUE(hasError(r, "model_list[0].litellm_params.input_cost_per_token"));
}

TEST(RouterSettings, ContextWindowChecksAndTheMiddleOutDefault) {
  auto off = load(std::string(kModels));
  ASSERT_TRUE(off.ok()) << testing::allDiagnostics(off);
  EXPECT_FALSE(off.snapshot->router.preCallChecks);
  EXPECT_FALSE(off.snapshot->router.checksContextWindow());
  EXPECT_FALSE(off.snapshot->router.middleOutByDefault);

  auto on = load(std::string(kModels) + R"(
router_settings:
  enable_pre_call_checks: true
switchyard_settings:
  transforms: [middle-out]
)");
  ASSERT_TRUE(on.ok()) << testing::allDiagnostics(on);
  EXPECT_TRUE(on.snapshot->router.preCallChecks);
  EXPECT_TRUE(on.snapshot->router.checksContextWindow());
  EXPECT_TRUE(on.snapshot->router.middleOutByDefault);
  EXPECT_FALSE(hasWarning(on, "router_settings.enable_pre_call_checks"));

  // context_window_fallbacks alone check too: a group that cannot fit goes to them first.
  auto fallbacks = load(std::string(kModels) + R"(
router_settings:
  context_window_fallbacks: [{a: [b]}]
)");
  ASSERT_TRUE(fallbacks.ok()) << testing::allDiagnostics(fallbacks);
  EXPECT_FALSE(fallbacks.snapshot->router.preCallChecks);
  EXPECT_TRUE(fallbacks.snapshot->router.checksContextWindow());

  auto bad = load(std::string(kModels) + R"(
router_settings:
  enable_pre_call_checks: "yes please"
switchyard_settings:
  transforms: [middle-out, squeeze]
)");
  EXPECT_TRUE(hasError(bad, "router_settings.enable_pre_call_checks"));
  EXPECT_TRUE(hasError(bad, "switchyard_settings.transforms[1]"));
  auto notAList = load(std::string(kModels) + R"(
switchyard_settings:
  transforms: middle-out
)");
  EXPECT_TRUE(hasError(notAList, "switchyard_settings.transforms"));
}

}  // namespace
}  // namespace switchyard
