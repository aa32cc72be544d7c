#include "routing/deployment_state.hpp"

#include <gtest/gtest.h>

#include <thread>

#include "config/snapshot.hpp"

namespace switchyard {
namespace {

using namespace std::chrono_literals;

const Error kServerError = Error::make(ErrorClass::kUpstreamServer, "boom");

RouterSettings settings(int allowedFails, std::chrono::milliseconds cooldown) {
  RouterSettings s;
  s.allowedFails = allowedFails;
  s.cooldownTime = cooldown;
  return s;
}

Unavailable check(const DeploymentState& st, RouterClock::time_point now) {
  static const Deployment d;
  RouterClock::time_point until;
  return st.check(d, now, until);
}

TEST(Breaker, OpensAfterMoreThanAllowedFailsThenProbesOnce) {
  DeploymentState st;
  const auto s = settings(2, 5s);
  const auto t0 = RouterClock::now();
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(st.begin(t0));
    st.failed(t0, kServerError, s);
    EXPECT_EQ(check(st, t0), Unavailable::kNo) << "failure " << i + 1 << " is allowed";
  }
  ASSERT_TRUE(st.begin(t0));
  st.failed(t0, kServerError, s);
  EXPECT_EQ(check(st, t0), Unavailable::kCoolingDown);
  EXPECT_EQ(st.breaker(t0), BreakerState::kOpen);
  EXPECT_FALSE(st.begin(t0 + 1s));

  // Cooldown over: one request probes, the others stay away until it answers.
  const auto t1 = t0 + 5s;
  EXPECT_EQ(st.breaker(t1), BreakerState::kHalfOpen);
  EXPECT_EQ(check(st, t1), Unavailable::kNo);
  ASSERT_TRUE(st.begin(t1));
  EXPECT_FALSE(st.begin(t1));
  EXPECT_EQ(check(st, t1), Unavailable::kProbing);
  st.succeeded(t1, 1ms, 1ms, false);
  EXPECT_EQ(st.breaker(t1), BreakerState::kClosed);
  EXPECT_EQ(check(st, t1), Unavailable::kNo);
  EXPECT_EQ(st.inFlight(), 0);
}

TEST(Breaker, FailedProbeReopens) {
  DeploymentState st;
  const auto s = settings(0, 2s);
  const auto t0 = RouterClock::now();
  ASSERT_TRUE(st.begin(t0));
  st.failed(t0, kServerError, s);
  EXPECT_EQ(check(st, t0 + 1s), Unavailable::kCoolingDown);
  ASSERT_TRUE(st.begin(t0 + 2s));
  st.failed(t0 + 2s, kServerError, s);
  EXPECT_EQ(check(st, t0 + 3s), Unavailable::kCoolingDown);
  EXPECT_EQ(check(st, t0 + 4s), Unavailable::kNo);
}

TEST(Breaker, ClientFaultsDoNotCount) {
  DeploymentState st;
  const auto s = settings(0, 2s);
  const auto t0 = RouterClock::now();
  for (auto cls :
       {ErrorClass::kBadRequest, ErrorClass::kContextWindow, ErrorClass::kContentPolicy}) {
    ASSERT_TRUE(st.begin(t0));
    st.failed(t0, Error::make(cls, "x"), s);
  }
  EXPECT_EQ(check(st, t0), Unavailable::kNo);
  EXPECT_EQ(st.totalFailures(), 0u);
}

TEST(Breaker, DisabledCooldownsNeverOpen) {
  DeploymentState st;
  auto s = settings(0, 2s);
  s.cooldownsEnabled = false;
  const auto t0 = RouterClock::now();
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(st.begin(t0));
    st.failed(t0, kServerError, s);
  }
  EXPECT_EQ(check(st, t0), Unavailable::kNo);
}

TEST(Breaker, TheOnlyDeploymentOfAGroupNeverTrips) {
  DeploymentState st;
  const auto s = settings(0, 60s);
  const auto t0 = RouterClock::now();
  Error limited = Error::make(ErrorClass::kRateLimited, "slow down");
  limited.retryAfterSeconds = 30;
  for (const Error& e : {kServerError, limited}) {
    ASSERT_TRUE(st.begin(t0));
    st.failed(t0, e, s, false);
  }
  EXPECT_EQ(check(st, t0), Unavailable::kNo);
  EXPECT_EQ(st.totalFailures(), 2u);
}

TEST(Breaker, RetryAfterBlocksTheDeploymentUntilThen) {
  DeploymentState st;
  auto s = settings(100, 2s);
  const auto t0 = RouterClock::now();
  Error limited = Error::make(ErrorClass::kRateLimited, "slow down");
  limited.retryAfterSeconds = 3;
  ASSERT_TRUE(st.begin(t0));
  st.failed(t0, limited, s);
  RouterClock::time_point until;
  static const Deployment d;
  EXPECT_EQ(st.check(d, t0 + 2s, until), Unavailable::kRateLimited);
  EXPECT_EQ(until, t0 + 3s);
  EXPECT_EQ(st.check(d, t0 + 3s, until), Unavailable::kNo);
}

TEST(Breaker, FailuresAreCountedPerMinute) {
  DeploymentState st;
  const auto s = settings(1, 2s);
  const auto t0 = RouterClock::now();
  ASSERT_TRUE(st.begin(t0));
  st.failed(t0, kServerError, s);
  const auto later = t0 + 61s;
  ASSERT_TRUE(st.begin(later));
  st.failed(later, kServerError, s);
  EXPECT_EQ(check(st, later), Unavailable::kNo);
}

TEST(DeploymentStateTable, StateFollowsTheDeploymentAcrossReloadsThatRenumberIds) {
  auto make = [](const std::string& id, const std::string& base) {
    auto d = std::make_shared<Deployment>();
    d->id = id;
    d->modelName = "reload";
    d->provider = "openai";
    d->apiBase.host = base;
    d->apiKey = "sk-1";
    return d;
  };
  auto before = std::make_shared<Snapshot>();
  before->deployments = {make("reload#0", "a.example"), make("reload#1", "b.example")};
  // The reload put a new entry first: the same upstreams now have other ids.
  auto after = std::make_shared<Snapshot>();
  after->deployments = {make("reload#0", "new.example"), make("reload#1", "a.example"),
                        make("reload#2", "b.example")};
  carryOverDeploymentStates(*after, before.get());
  EXPECT_EQ(deploymentStates(before)[0], deploymentStates(after)[1]);
  EXPECT_EQ(deploymentStates(before)[1], deploymentStates(after)[2]);
  EXPECT_NE(deploymentStates(after)[0], deploymentStates(before)[0]);
  // A different key is a different upstream account; model_info.id names one explicitly.
  auto otherKey = make("reload#1", "a.example");
  otherKey->apiKey = "sk-2";
  Snapshot withOtherKey;
  withOtherKey.deployments = {otherKey};
  carryOverDeploymentStates(withOtherKey, before.get());
  EXPECT_NE(&deploymentState(*withOtherKey.deployments[0]), deploymentStates(before)[0]);
  auto named = make("x", "c.example");
  named->modelInfo["id"] = "my-deployment";
  auto renamed = make("y", "d.example");
  renamed->modelInfo["id"] = "my-deployment";
  Snapshot first, second;
  first.deployments = {named};
  second.deployments = {renamed};
  carryOverDeploymentStates(second, &first);
  EXPECT_EQ(&deploymentState(*first.deployments[0]), &deploymentState(*second.deployments[0]));
}

TEST(DeploymentStateTable, AReloadCarriesCountersOverAndForgetsRemovedDeployments) {
  auto deployment = [](const std::string& host) {
    auto d = std::make_shared<Deployment>();
    d->id = host + "#0";
    d->modelName = "m";
    d->apiBase.host = host;
    return d;
  };
  auto before = std::make_shared<Snapshot>();
  before->deployments = {deployment("kept.example"), deployment("removed.example")};
  before->wildcards.push_back(WildcardRoute{"openai", *deployment("wild.example")});
  before->wildcards[0].deploymentTemplate.id = "openai/*";
  const auto now = RouterClock::now();
  ASSERT_TRUE(deploymentStates(before)[0]->begin(now));
  ASSERT_TRUE(deploymentState(before->wildcards[0].deploymentTemplate).begin(now));
  std::weak_ptr<DeploymentState> removed = before->deployments[1]->state;

  auto after = std::make_shared<Snapshot>();
  after->deployments = {deployment("new.example"), deployment("kept.example")};
  after->wildcards.push_back(WildcardRoute{"openai", *deployment("wild.example")});
  after->wildcards[0].deploymentTemplate.id = "openai/*";
  carryOverDeploymentStates(*after, before.get());
  EXPECT_EQ(deploymentStates(after)[1]->inFlight(), 1);  // the request still running
  EXPECT_EQ(deploymentStates(after)[0]->inFlight(), 0);
  EXPECT_EQ(deploymentState(after->wildcards[0].deploymentTemplate).inFlight(), 1);
  // A request still holding the old snapshot keeps the removed deployment's state alive...
  EXPECT_FALSE(removed.expired());
  before.reset();
  // ...and it goes with the last one.
  EXPECT_TRUE(removed.expired());
}

TEST(DeploymentStateTable, CountersAreExactUnderConcurrentWorkers) {
  Deployment d;
  d.id = "concurrent#0";
  auto& st = deploymentState(d);
  const auto now = RouterClock::now();
  st.addTokens(now, 1);  // enters this minute first: a minute boundary may drop a few counts
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10000; ++i) {
        st.begin(now);
        st.succeeded(now, 1ms, 1ms, false);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(st.inFlight(), 0);
  EXPECT_EQ(st.totalRequests(), 40000u);
  EXPECT_EQ(st.requestsThisMinute(now), 40000);
}

TEST(DeploymentHealthSnapshot, ReportsStateWithoutKeys) {
  Snapshot s;
  auto d = std::make_shared<Deployment>();
  d->id = "report#0";
  d->modelName = "m";
  d->apiKey = "sk-secret";
  d->apiBase.host = "api.example.com";
  s.deployments.push_back(d);
  auto& st = deploymentState(*d);
  const auto now = RouterClock::now();
  st.begin(now);
  st.failed(now, kServerError, settings(0, 60s));
  const auto health = deploymentHealthSnapshot(s);
  ASSERT_EQ(health.size(), 1u);
  EXPECT_EQ(health[0].breaker, BreakerState::kOpen);
  EXPECT_GT(health[0].cooldownRemainingSeconds, 50);
  EXPECT_EQ(health[0].apiBaseHost, "api.example.com");
  EXPECT_EQ(health[0].lastError, "upstream_server");
}

}  // namespace
}  // namespace switchyard
