#include "routing/router.hpp"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "routing_test_util.hpp"

namespace switchyard {
namespace {

using testing::groupSnapshot;
using testing::mut;

const auto kNow = RouterClock::now();

std::string firstId(const std::shared_ptr<Snapshot>& s, FastRandom& rng, const RouteQuery& q = {},
                    RouterClock::time_point now = kNow) {
  auto sel = selectDeployments(s, "chat", rng, now, q);
  if (!sel || sel->count == 0) return "";
  return s->deployments[sel->order[0]]->id;
}

TEST(SelectDeployments, ReturnsEveryDeploymentOfTheGroupOnce) {
  auto s = groupSnapshot("once", 3);
  FastRandom rng(1);
  auto sel = selectDeployments(s, "chat", rng, kNow);
  ASSERT_TRUE(sel);
  ASSERT_EQ(sel->count, 3u);
  std::set<uint32_t> ids(sel->order.begin(), sel->order.begin() + sel->count);
  EXPECT_EQ(ids.size(), 3u);
}

TEST(SelectDeployments, FirstChoiceFollowsWeights) {
  auto s = groupSnapshot("weights", 2);
  mut(s, 1).weight = 3;
  FastRandom rng(42);
  std::map<std::string, int> first;
  const int n = 20000;
  for (int i = 0; i < n; ++i) ++first[firstId(s, rng)];
  EXPECT_NEAR(static_cast<double>(first["weights#1"]) / n, 0.75, 0.02);
}

TEST(SelectDeployments, ShuffleFallsBackToRpmThenTpm) {
  auto s = groupSnapshot("rpmweights", 2);
  mut(s, 0).rpm = 100;
  mut(s, 1).rpm = 300;
  FastRandom rng(7);
  std::map<std::string, int> first;
  const int n = 20000;
  for (int i = 0; i < n; ++i) ++first[firstId(s, rng)];
  EXPECT_NEAR(static_cast<double>(first["rpmweights#1"]) / n, 0.75, 0.02);
}

TEST(SelectDeployments, OrderPrioritiesComeFirst) {
  auto s = groupSnapshot("order", 3);
  mut(s, 0).order = 2;
  mut(s, 2).order = 1;
  FastRandom rng(3);
  auto sel = selectDeployments(s, "chat", rng, kNow);
  ASSERT_TRUE(sel);
  ASSERT_EQ(sel->count, 3u);
  EXPECT_EQ(sel->order[0], 2u);
  EXPECT_EQ(sel->order[1], 0u);
  EXPECT_EQ(sel->order[2], 1u);  // no order: last
}

TEST(SelectDeployments, LeastBusyPicksFewestInFlight) {
  auto s = groupSnapshot("busy", 3);
  s->router.strategy = RoutingStrategy::kLeastBusy;
  for (int i = 0; i < 3; ++i) deploymentState(*s->deployments[0]).begin(kNow);
  deploymentState(*s->deployments[2]).begin(kNow);
  FastRandom rng(3);
  EXPECT_EQ(firstId(s, rng), "busy#1");
}

TEST(SelectDeployments, UsageBasedPicksFewestTokensThisMinute) {
  auto s = groupSnapshot("usage", 2);
  s->router.strategy = RoutingStrategy::kUsageBased;
  deploymentState(*s->deployments[0]).addTokens(kNow, 500);
  deploymentState(*s->deployments[1]).addTokens(kNow, 100);
  FastRandom rng(3);
  EXPECT_EQ(firstId(s, rng), "usage#1");
}

TEST(SelectDeployments, LatencyBasedPrefersFasterAndMeasuresUnknownFirst) {
  auto s = groupSnapshot("latency", 3);
  s->router.strategy = RoutingStrategy::kLatencyBased;
  using std::chrono::microseconds;
  for (auto [i, us] : {std::pair{0, 200'000}, {1, 50'000}}) {
    auto& st = deploymentState(*s->deployments[i]);
    st.begin(kNow);
    st.succeeded(kNow, microseconds(us), microseconds(us / 10), false);
  }
  FastRandom rng(3);
  EXPECT_EQ(firstId(s, rng), "latency#2");  // never measured
  auto& st = deploymentState(*s->deployments[2]);
  st.begin(kNow);
  st.succeeded(kNow, microseconds(900'000), microseconds(10'000), true);
  EXPECT_EQ(firstId(s, rng), "latency#1");
  // Streams are ranked by time to first token.
  EXPECT_EQ(firstId(s, rng, RouteQuery{true, nullptr}), "latency#2");
}

TEST(SelectDeployments, CostBasedPicksCheapestKnownPrice) {
  auto s = groupSnapshot("cost", 3);
  s->router.strategy = RoutingStrategy::kCostBased;
  mut(s, 0).inputCostPerToken = 3e-6;
  mut(s, 1).inputCostPerToken = 1e-6;
  mut(s, 1).outputCostPerToken = 1e-6;
  FastRandom rng(3);
  auto sel = selectDeployments(s, "chat", rng, kNow);
  ASSERT_TRUE(sel);
  EXPECT_EQ(sel->order[0], 1u);
  EXPECT_EQ(sel->order[1], 0u);
  EXPECT_EQ(sel->order[2], 2u);  // unknown price: last
}

TEST(SelectDeployments, ProviderPreferencesFilterAndOrder) {
  auto s = groupSnapshot("prefs", 3);
  mut(s, 0).provider = "azure";
  mut(s, 1).provider = "groq";
  mut(s, 2).provider = "openai";
  mut(s, 2).inputCostPerToken = 5e-6;
  FastRandom rng(3);
  ProviderPreferences p;
  p.order = {"groq", "azure"};
  auto sel = selectDeployments(s, "chat", rng, kNow, RouteQuery{false, &p});
  ASSERT_TRUE(sel);
  ASSERT_EQ(sel->count, 3u);
  EXPECT_EQ(sel->order[0], 1u);
  EXPECT_EQ(sel->order[1], 0u);
  p = {};
  p.ignore = {"azure"};
  p.maxPromptPrice = 1.0;  // $1 per million: the openai one at $5 is out
  sel = selectDeployments(s, "chat", rng, kNow, RouteQuery{false, &p});
  ASSERT_TRUE(sel);
  ASSERT_EQ(sel->count, 1u);
  EXPECT_EQ(sel->order[0], 1u);
  p = {};
  p.only = {"prefs#2"};
  sel = selectDeployments(s, "chat", rng, kNow, RouteQuery{false, &p});
  ASSERT_TRUE(sel);
  ASSERT_EQ(sel->count, 1u);
  EXPECT_EQ(sel->order[0], 2u);
}

TEST(SelectDeployments, LimitsSkipDeploymentsAndReportWhenTheyFree) {
  auto s = groupSnapshot("limits", 2);
  mut(s, 0).rpm = 1;
  mut(s, 1).maxParallelRequests = 1;
  deploymentState(*s->deployments[0]).begin(kNow);
  deploymentState(*s->deployments[1]).begin(kNow);
  FastRandom rng(3);
  auto sel = selectDeployments(s, "chat", rng, kNow);
  ASSERT_TRUE(sel);
  EXPECT_EQ(sel->count, 0u);
  EXPECT_EQ(sel->skipped, 2u);
  EXPECT_GE(sel->soonestIndex, 0);
  const Error e = noDeploymentAvailable("chat", *sel, kNow);
  EXPECT_EQ(e.status, 429);
  EXPECT_GE(e.retryAfterSeconds, 1);
  EXPECT_EQ(e.code, "no_deployment_available");
}

TEST(SelectDeployments, WildcardMakesADeploymentForTheRequestedModel) {
  auto s = std::make_shared<Snapshot>();
  WildcardRoute route;
  route.prefix = "openai";
  route.deploymentTemplate.provider = "openai";
  route.deploymentTemplate.apiKey = "sk-x";
  s->wildcards.push_back(route);
  FastRandom rng(1);
  auto sel = selectDeployments(s, "openai/gpt-4o-mini", rng, kNow);
  ASSERT_TRUE(sel);
  ASSERT_TRUE(sel->wildcard);
  EXPECT_EQ(sel->wildcard->upstreamModel, "gpt-4o-mini");
  EXPECT_EQ(sel->wildcard->modelName, "openai/gpt-4o-mini");
  EXPECT_EQ(sel->wildcard->apiKey, "sk-x");
  EXPECT_FALSE(selectDeployments(s, "openai/", rng, kNow));
  EXPECT_FALSE(selectDeployments(s, "openaix/gpt", rng, kNow));
}

TEST(SelectDeployments, CatchAllWildcardRoutesEveryModelName) {
  // model_name "*" with model "openai/*" is stored with an empty prefix.
  auto s = std::make_shared<Snapshot>();
  WildcardRoute route;
  route.prefix = "";
  route.deploymentTemplate.provider = "openai";
  s->wildcards.push_back(route);
  FastRandom rng(1);
  auto sel = selectDeployments(s, "gpt-4o-mini", rng, kNow);
  ASSERT_TRUE(sel);
  ASSERT_TRUE(sel->wildcard);
  EXPECT_EQ(sel->wildcard->upstreamModel, "gpt-4o-mini");
  EXPECT_EQ(sel->wildcard->id, "*");
  EXPECT_EQ(deploymentStateKey(*sel->wildcard), "*");  // one state for the route
}

TEST(SelectDeployments, UnknownModelIs404ListingValidNames) {
  auto s = groupSnapshot("unknown", 1);
  WildcardRoute route;
  route.prefix = "groq";
  s->wildcards.push_back(route);
  FastRandom rng(1);
  auto sel = selectDeployments(s, "nope", rng, kNow);
  ASSERT_FALSE(sel);
  EXPECT_EQ(sel.error().status, 404);
  EXPECT_EQ(sel.error().code, "model_not_found");
  EXPECT_NE(sel.error().message.find("chat"), std::string::npos);
  EXPECT_NE(sel.error().message.find("groq/*"), std::string::npos);
}

TEST(SelectDeployments, DisabledModelIs400SayingWhy) {
  auto s = groupSnapshot("unknown", 1);
  s->disabledModels["jumpstart"] =
      "model_list[3].litellm_params.model: unknown provider 'sagemaker' (known: openai, ...)";
  s->disabledModels["sagemaker/*"] = "model_list[4].litellm_params.model: unknown provider";
  FastRandom rng(1);
  auto sel = selectDeployments(s, "jumpstart", rng, kNow);
  ASSERT_FALSE(sel);
  EXPECT_EQ(sel.error().status, 400);
  EXPECT_EQ(sel.error().code, "model_disabled");
  EXPECT_EQ(sel.error().param, "model");
  EXPECT_NE(sel.error().message.find("model_list[3].litellm_params.model: unknown provider "
                                     "'sagemaker'"),
            std::string::npos)
      << sel.error().message;
  auto wild = selectDeployments(s, "sagemaker/llama", rng, kNow);
  ASSERT_FALSE(wild);
  EXPECT_EQ(wild.error().code, "model_disabled");
  EXPECT_EQ(selectDeployments(s, "other", rng, kNow).error().code, "model_not_found");
}

}  // namespace
}  // namespace switchyard
