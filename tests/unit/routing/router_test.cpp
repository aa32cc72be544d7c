#include "routing/router.hpp"

#include <gtest/gtest.h>

#include <map>
#include <set>

namespace switchyard {
namespace {

std::shared_ptr<Snapshot> snapshotWithGroup(const std::vector<double>& weights) {
  auto s = std::make_shared<Snapshot>();
  for (size_t i = 0; i < weights.size(); ++i) {
    auto d = std::make_shared<Deployment>();
    d->id = "chat#" + std::to_string(i);
    d->modelName = "chat";
    d->upstreamModel = "up-" + std::to_string(i);
    d->weight = weights[i];
    s->deployments.push_back(d);
    s->groups["chat"].push_back(i);
  }
  return s;
}

TEST(SelectDeployments, ReturnsEveryDeploymentOfTheGroupOnce) {
  auto s = snapshotWithGroup({1, 1, 1});
  std::mt19937_64 rng(1);
  auto list = selectDeployments(*s, "chat", rng);
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 3u);
  std::set<std::string> ids;
  for (const auto& d : *list) ids.insert(d->id);
  EXPECT_EQ(ids.size(), 3u);
}

TEST(SelectDeployments, FirstChoiceFollowsWeights) {
  auto s = snapshotWithGroup({1, 3});
  std::mt19937_64 rng(42);
  std::map<std::string, int> first;
  const int n = 20000;
  for (int i = 0; i < n; ++i) ++first[(*selectDeployments(*s, "chat", rng))[0]->id];
  const double share = static_cast<double>(first["chat#1"]) / n;
  EXPECT_NEAR(share, 0.75, 0.02);
}

TEST(SelectDeployments, WildcardMakesADeploymentForTheRequestedModel) {
  auto s = std::make_shared<Snapshot>();
  WildcardRoute route;
  route.prefix = "openai";
  route.deploymentTemplate.provider = "openai";
  route.deploymentTemplate.apiKey = "sk-x";
  s->wildcards.push_back(route);
  std::mt19937_64 rng(1);
  auto list = selectDeployments(*s, "openai/gpt-4o-mini", rng);
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0]->upstreamModel, "gpt-4o-mini");
  EXPECT_EQ((*list)[0]->modelName, "openai/gpt-4o-mini");
  EXPECT_EQ((*list)[0]->apiKey, "sk-x");
  EXPECT_FALSE(selectDeployments(*s, "openai/", rng));
  EXPECT_FALSE(selectDeployments(*s, "openaix/gpt", rng));
}

TEST(SelectDeployments, UnknownModelIs404ListingValidNames) {
  auto s = snapshotWithGroup({1});
  WildcardRoute route;
  route.prefix = "groq";
  s->wildcards.push_back(route);
  std::mt19937_64 rng(1);
  auto list = selectDeployments(*s, "nope", rng);
  ASSERT_FALSE(list);
  EXPECT_EQ(list.error().status, 404);
  EXPECT_EQ(list.error().code, "model_not_found");
  EXPECT_NE(list.error().message.find("chat"), std::string::npos);
  EXPECT_NE(list.error().message.find("groq/*"), std::string::npos);
}

}  // namespace
}  // namespace switchyard
