#include "server/ui/login_throttle.hpp"

#include <gtest/gtest.h>

namespace switchyard {
namespace {

constexpr int64_t kStart = 1'800'000'000'000;

TEST(LoginThrottle, AllowsABurstOfFailuresThenOneEveryRefill) {
  LoginThrottle t;
  for (int i = 0; i < LoginThrottle::kBurst; ++i) {
    EXPECT_EQ(t.waitMs(kStart), 0) << "attempt " << i;
    t.recordFailure(kStart);
  }
  // Empty: the next login waits a whole refill, less what has passed.
  EXPECT_EQ(t.waitMs(kStart), LoginThrottle::kRefillMs);
  EXPECT_EQ(t.waitMs(kStart + 2000), LoginThrottle::kRefillMs - 2000);
  EXPECT_EQ(t.waitMs(kStart + LoginThrottle::kRefillMs), 0);
  t.recordFailure(kStart + LoginThrottle::kRefillMs);
  EXPECT_GT(t.waitMs(kStart + LoginThrottle::kRefillMs), 0);
}

TEST(LoginThrottle, RefillsUpToTheBurstOnly) {
  LoginThrottle t;
  t.recordFailure(kStart);
  // A long quiet time does not bank more than a burst.
  const int64_t later = kStart + 100 * LoginThrottle::kRefillMs;
  for (int i = 0; i < LoginThrottle::kBurst; ++i) t.recordFailure(later);
  EXPECT_GT(t.waitMs(later), 0);
}

TEST(LoginThrottle, AClockGoingBackGivesNoTokens) {
  LoginThrottle t;
  for (int i = 0; i < LoginThrottle::kBurst; ++i) t.recordFailure(kStart);
  EXPECT_GT(t.waitMs(kStart - 60'000), 0);
  EXPECT_EQ(t.waitMs(kStart - 60'000 + LoginThrottle::kRefillMs), 0);
}

}  // namespace
}  // namespace switchyard
