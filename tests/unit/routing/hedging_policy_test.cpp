#include "routing/hedging_policy.hpp"

#include <gtest/gtest.h>

#include "routing/deployment_state.hpp"

namespace switchyard {
namespace {

using namespace std::chrono_literals;

// One answered request: the first sample sets the moving averages.
const DeploymentState& answered(DeploymentState& st, std::chrono::microseconds latency,
                                std::chrono::microseconds ttft, bool stream) {
  const auto now = RouterClock::now();
  st.begin(now);
  st.succeeded(now, latency, ttft, stream);
  return st;
}

TEST(HedgingPolicyFor, OnlyGroupsThatOptIn) {
  RouterSettings s;
  EXPECT_EQ(hedgingPolicyFor(s, "gpt"), nullptr);
  s.hedging["gpt"].delay = 300ms;
  ASSERT_NE(hedgingPolicyFor(s, "gpt"), nullptr);
  EXPECT_EQ(hedgingPolicyFor(s, "gpt")->delay, 300ms);
  EXPECT_EQ(hedgingPolicyFor(s, "claude"), nullptr);
}

TEST(HedgeDelay, FixedDelayNeedsNoHistory) {
  HedgingPolicy p;
  p.delay = 250ms;
  DeploymentState fresh;
  EXPECT_EQ(hedgeDelay(p, fresh, false), 250ms);
  EXPECT_EQ(hedgeDelay(p, fresh, true), 250ms);
  DeploymentState st;
  // A fixed delay wins over the estimate too.
  EXPECT_EQ(hedgeDelay(p, answered(st, 10ms, 1ms, false), false), 250ms);
}

TEST(HedgeDelay, NoHedgeBeforeTheDeploymentHasLatencyHistory) {
  HedgingPolicy p;
  DeploymentState fresh;
  EXPECT_FALSE(hedgeDelay(p, fresh, false));
  EXPECT_FALSE(hedgeDelay(p, fresh, true));
  DeploymentState st;
  // Whole answers teach nothing about the time to first token of streams.
  EXPECT_FALSE(hedgeDelay(p, answered(st, 100ms, 100ms, false), true));
}

TEST(HedgeDelay, FactorTimesAverageLatencyForWholeAnswers) {
  HedgingPolicy p;
  p.latencyFactor = 3.0;
  p.minDelay = 10ms;
  DeploymentState st;
  EXPECT_EQ(hedgeDelay(p, answered(st, 100ms, 20ms, false), false), 300ms);
}

TEST(HedgeDelay, FactorTimesTimeToFirstTokenForStreams) {
  HedgingPolicy p;
  p.latencyFactor = 2.0;
  p.minDelay = 10ms;
  DeploymentState st;
  EXPECT_EQ(hedgeDelay(p, answered(st, 900ms, 40ms, true), true), 80ms);
}

TEST(HedgeDelay, NeverBelowMinDelayAndRoundedUp) {
  HedgingPolicy p;
  p.latencyFactor = 1.5;
  p.minDelay = 50ms;
  DeploymentState fast;
  EXPECT_EQ(hedgeDelay(p, answered(fast, 2ms, 2ms, false), false), 50ms);
  p.minDelay = 0ms;
  // 1.5 × 1.001 ms is 1.5015 ms: rounded up, never down to a hedge that starts too early.
  DeploymentState st;
  EXPECT_EQ(hedgeDelay(p, answered(st, 1001us, 1001us, false), false), 2ms);
}

TEST(HedgeDelay, FollowsTheMovingAverage) {
  HedgingPolicy p;
  p.latencyFactor = 2.0;
  p.minDelay = 0ms;
  DeploymentState st;
  answered(st, 100ms, 100ms, false);
  answered(st, 500ms, 500ms, false);  // average: 100 + (500 - 100) / 4 = 200 ms
  EXPECT_EQ(hedgeDelay(p, st, false), 400ms);
}

}  // namespace
}  // namespace switchyard
