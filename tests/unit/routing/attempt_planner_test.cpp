#include "routing/attempt_planner.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "routing_test_util.hpp"

namespace switchyard {
namespace {

using namespace std::chrono_literals;
using testing::addDeployment;
using testing::groupSnapshot;

Error err(ErrorClass cls, int retryAfter = 0) {
  Error e = Error::make(cls, std::string(errorClassName(cls)));
  e.retryAfterSeconds = retryAfter;
  return e;
}

// Runs the planner like the proxy handler does, failing every attempt on the deployments whose
// id is in `failing` with `e`; returns the ids tried, in order.
struct Run {
  std::vector<std::string> tried;
  std::vector<std::chrono::milliseconds> waits;
  std::optional<Error> error;
  int retries = 0;
  int fallbacks = 0;
};

Run drive(const std::shared_ptr<Snapshot>& s, std::string_view model,
          const std::set<std::string>& failing, const Error& e,
          const RoutePreferences* prefs = nullptr) {
  FastRandom rng(5);
  auto now = RouterClock::now();
  AttemptPlanner planner(s, model, prefs, false, rng, now);
  Run run;
  for (int guard = 0; guard < 100; ++guard) {
    auto step = planner.next(now);
    if (!step) {
      run.error = step.error();
      break;
    }
    now += step->wait;
    run.tried.push_back(step->deployment->id);
    run.waits.push_back(step->wait);
    if (!failing.contains(step->deployment->id)) break;
    planner.failed(e);
  }
  run.retries = planner.retries();
  run.fallbacks = planner.fallbacks();
  return run;
}

TEST(AttemptPlanner, FailsOverThroughTheGroupBeforeRetrying) {
  auto s = groupSnapshot("failover", 3);
  for (size_t i = 0; i < 3; ++i) testing::mut(s, i).order = static_cast<int64_t>(i);
  s->router.numRetries = 0;
  s->router.cooldownsEnabled = false;
  auto run = drive(s, "chat", {"failover#0", "failover#1"}, err(ErrorClass::kUpstreamServer));
  ASSERT_FALSE(run.error);
  EXPECT_EQ(run.tried.size(), 3u);
  EXPECT_EQ(run.tried.back(), "failover#2");
  EXPECT_EQ(run.retries, 2);
  EXPECT_EQ(std::set<std::string>(run.tried.begin(), run.tried.end()).size(), 3u);
}

TEST(AttemptPlanner, RetriesWithGrowingJitteredBackoff) {
  auto s = groupSnapshot("backoff", 1);
  s->router.numRetries = 3;
  s->router.cooldownsEnabled = false;
  s->router.backoffBase = 100ms;
  s->router.backoffMax = 1s;
  auto run = drive(s, "chat", {"backoff#0"}, err(ErrorClass::kTimeout));
  ASSERT_TRUE(run.error);
  EXPECT_EQ(run.error->cls, ErrorClass::kTimeout);
  ASSERT_EQ(run.tried.size(), 4u);  // one try and three retries
  EXPECT_EQ(run.waits[0], 0ms);
  for (size_t i = 1; i < 4; ++i) {
    const auto cap = 100ms * (1 << (i - 1));
    EXPECT_GE(run.waits[i], cap / 2) << i;
    EXPECT_LE(run.waits[i], cap) << i;
  }
}

TEST(AttemptPlanner, HonoursRetryAfterAndRetryPolicy) {
  auto s = groupSnapshot("retryafter", 1);
  s->router.numRetries = 5;
  s->router.retriesByClass[static_cast<size_t>(ErrorClass::kRateLimited)] = 1;
  auto run = drive(s, "chat", {"retryafter#0"}, err(ErrorClass::kRateLimited, 2));
  ASSERT_EQ(run.tried.size(), 2u);
  EXPECT_GE(run.waits[1], 2s);
  EXPECT_EQ(run.error->status, 429);
}

TEST(AttemptPlanner, RetryAfterBeyondMaxWaitGoesToFallbackInstead) {
  auto s = groupSnapshot("maxwait", 1);
  addDeployment(*s, "backup", "maxwait-backup#0");
  s->router.maxRetryWait = 1s;
  s->router.fallbacks["chat"] = {"backup"};
  auto run = drive(s, "chat", {"maxwait#0"}, err(ErrorClass::kRateLimited, 30));
  ASSERT_FALSE(run.error);
  EXPECT_EQ(run.tried, (std::vector<std::string>{"maxwait#0", "maxwait-backup#0"}));
  EXPECT_EQ(run.fallbacks, 1);
}

TEST(AttemptPlanner, BadRequestStopsAtOnce) {
  auto s = groupSnapshot("badreq", 3);
  s->router.fallbacks["*"] = {"chat"};
  auto run = drive(s, "chat", {"badreq#0", "badreq#1", "badreq#2"}, err(ErrorClass::kBadRequest));
  EXPECT_EQ(run.tried.size(), 1u);
  EXPECT_EQ(run.error->cls, ErrorClass::kBadRequest);
}

TEST(AttemptPlanner, ContextWindowGoesToItsOwnFallbacks) {
  auto s = groupSnapshot("ctx", 2);
  addDeployment(*s, "big", "ctx-big#0");
  addDeployment(*s, "other", "ctx-other#0");
  s->router.fallbacks["chat"] = {"other"};
  s->router.contextWindowFallbacks["chat"] = {"big"};
  auto run = drive(s, "chat", {"ctx#0", "ctx#1"}, err(ErrorClass::kContextWindow));
  ASSERT_FALSE(run.error);
  ASSERT_EQ(run.tried.size(), 2u);  // the group's other deployment has the same window
  EXPECT_EQ(run.tried[1], "ctx-big#0");
}

TEST(AttemptPlanner, GenericFallbacksThenDefaultsWithinMaxFallbacks) {
  auto s = groupSnapshot("chain", 1);
  for (auto g : {"f1", "f2", "f3"}) addDeployment(*s, g, std::string("chain-") + g);
  s->router.numRetries = 0;
  s->router.cooldownsEnabled = false;
  s->router.fallbacks["chat"] = {"missing-group", "f1", "f2", "f3"};
  s->router.maxFallbacks = 2;
  auto run = drive(s, "chat", {"chain#0", "chain-f1", "chain-f2", "chain-f3"},
                   err(ErrorClass::kUpstreamServer));
  // The unknown group is skipped without counting.
  EXPECT_EQ(run.tried, (std::vector<std::string>{"chain#0", "chain-f1", "chain-f2"}));
  EXPECT_EQ(run.fallbacks, 2);
  ASSERT_TRUE(run.error);

  auto d = groupSnapshot("defaults", 1);
  addDeployment(*d, "anything", "defaults-any");
  d->router.defaultFallbacks = {"anything"};
  auto run2 = drive(d, "chat", {"defaults#0"}, err(ErrorClass::kConnectFailed));
  EXPECT_EQ(run2.tried.back(), "defaults-any");
  EXPECT_FALSE(run2.error);
}

TEST(AttemptPlanner, CoolingDeploymentsAreSkippedAnd429WhenNothingIsLeft) {
  auto s = groupSnapshot("cooling", 2);
  s->router.allowedFails = 0;
  s->router.cooldownTime = 60s;
  const auto now = RouterClock::now();
  for (const auto& d : s->deployments) {
    auto& st = deploymentState(*d);
    st.begin(now);
    st.failed(now, err(ErrorClass::kUpstreamServer), s->router);
  }
  auto run = drive(s, "chat", {}, err(ErrorClass::kUpstreamServer));
  EXPECT_TRUE(run.tried.empty());
  ASSERT_TRUE(run.error);
  EXPECT_EQ(run.error->status, 429);
  EXPECT_GE(run.error->retryAfterSeconds, 59);
}

TEST(AttemptPlanner, RequestModelsListReplacesConfiguredFallbacks) {
  auto s = groupSnapshot("models", 1);
  addDeployment(*s, "second", "models-second");
  addDeployment(*s, "configured", "models-configured");
  s->router.fallbacks["chat"] = {"configured"};
  s->router.numRetries = 0;
  RoutePreferences prefs;
  prefs.models = {"chat", "second"};
  prefs.any = true;
  auto run = drive(s, "chat", {"models#0"}, err(ErrorClass::kUpstreamServer), &prefs);
  EXPECT_EQ(run.tried, (std::vector<std::string>{"models#0", "models-second"}));
}

TEST(AttemptPlanner, AllowFallbacksFalseKeepsTheFirstChoice) {
  auto s = groupSnapshot("nofail", 3);
  s->router.numRetries = 0;
  RoutePreferences prefs;
  prefs.provider.allowFallbacks = false;
  prefs.any = true;
  auto run = drive(s, "chat", {"nofail#0", "nofail#1", "nofail#2"},
                   err(ErrorClass::kUpstreamServer), &prefs);
  EXPECT_EQ(run.tried.size(), 1u);
}

TEST(AttemptPlanner, UnknownModelIs404) {
  auto s = groupSnapshot("nomodel", 1);
  auto run = drive(s, "nope", {}, err(ErrorClass::kUpstreamServer));
  ASSERT_TRUE(run.error);
  EXPECT_EQ(run.error->status, 404);
}

TEST(AttemptPlanner, TotalTimeoutBoundsTheAttemptBudget) {
  auto s = groupSnapshot("total", 1);
  s->router.totalTimeout = 2s;
  FastRandom rng(1);
  const auto now = RouterClock::now();
  AttemptPlanner planner(s, "chat", nullptr, false, rng, now);
  auto step = planner.next(now + 500ms);
  ASSERT_TRUE(step);
  EXPECT_EQ(step->budget, 1500ms);
  planner.failed(err(ErrorClass::kTimeout));
  auto late = planner.next(now + 3s);
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().cls, ErrorClass::kTimeout);
}

}  // namespace
}  // namespace switchyard

namespace switchyard {
namespace {

TEST(AttemptPlannerHedge, RacesTheNextDeploymentOfTheFirstPassWithoutCountingARetry) {
  auto s = groupSnapshot("hedge", 3);
  for (size_t i = 0; i < 3; ++i) testing::mut(s, i).order = static_cast<int64_t>(i);
  s->router.numRetries = 0;
  s->router.cooldownsEnabled = false;
  FastRandom rng(5);
  const auto now = RouterClock::now();
  AttemptPlanner planner(s, "chat", nullptr, false, rng, now);
  auto first = planner.next(now);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->deployment->id, "hedge#0");
  auto second = planner.hedge(now);
  ASSERT_TRUE(second);
  EXPECT_EQ(second->deployment->id, "hedge#1");
  EXPECT_EQ(second->wait, 0ms);
  EXPECT_EQ(planner.retries(), 0);
  // Both failed: the plan goes on with the deployment neither of them was.
  planner.failed(err(ErrorClass::kUpstreamServer));
  planner.failed(err(ErrorClass::kUpstreamServer));
  auto third = planner.next(now);
  ASSERT_TRUE(third);
  EXPECT_EQ(third->deployment->id, "hedge#2");
  EXPECT_FALSE(planner.hedge(now)) << "nothing left in the group to race";
}

TEST(AttemptPlannerHedge, NoneForAGroupOfOne) {
  auto s = groupSnapshot("hedge-one", 1);
  FastRandom rng(5);
  const auto now = RouterClock::now();
  AttemptPlanner planner(s, "chat", nullptr, false, rng, now);
  ASSERT_TRUE(planner.next(now));
  EXPECT_FALSE(planner.hedge(now));
}

TEST(AttemptPlannerHedge, NoneWhenTheRequestForbidsFallbacks) {
  auto s = groupSnapshot("hedge-pinned", 2);
  RoutePreferences prefs;
  prefs.provider.allowFallbacks = false;
  FastRandom rng(5);
  const auto now = RouterClock::now();
  AttemptPlanner planner(s, "chat", &prefs, false, rng, now);
  ASSERT_TRUE(planner.next(now));
  EXPECT_FALSE(planner.hedge(now));
}

}  // namespace
}  // namespace switchyard

namespace switchyard {
namespace {

TEST(AttemptPlanner, AnAliasIsRoutedAsItsGroup) {
  auto s = groupSnapshot("real", 1, "real");
  addDeployment(*s, "other", "other#0");
  s->router.numRetries = 0;
  s->router.cooldownsEnabled = false;
  s->router.groupAliases["nickname"] = {"real", false};
  s->router.fallbacks["real"] = {"other-alias"};
  s->router.groupAliases["other-alias"] = {"other", true};
  const auto run = drive(s, "nickname", {"real#0"}, err(ErrorClass::kUpstreamServer));
  EXPECT_EQ(run.tried, (std::vector<std::string>{"real#0", "other#0"}));
  EXPECT_EQ(run.fallbacks, 1);
  FastRandom rng(1);
  AttemptPlanner planner(s, "nickname", nullptr, false, rng, RouterClock::now());
  ASSERT_TRUE(planner.next(RouterClock::now()));
  EXPECT_EQ(planner.group(), "real");  // metrics and logs name the group
  // Listed by its alias, unless hidden.
  const auto names = s->modelNames();
  EXPECT_NE(std::find(names.begin(), names.end(), "nickname"), names.end());
  EXPECT_EQ(std::find(names.begin(), names.end(), "other-alias"), names.end());
}

}  // namespace
}  // namespace switchyard
