#include "server/ui/login_throttle.hpp"

#include <gtest/gtest.h>

namespace switchyard {
namespace {

constexpr int64_t kStart = 1'800'000'000'000;

PeerAddress v4(uint8_t a, uint8_t b, uint8_t c, uint8_t d) {
  PeerAddress p;
  p.bytes = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, a, b, c, d};
  return p;
}

PeerAddress v6(uint16_t first, uint16_t last) {
  PeerAddress p;
  p.bytes[0] = uint8_t(first >> 8);
  p.bytes[1] = uint8_t(first);
  p.bytes[14] = uint8_t(last >> 8);
  p.bytes[15] = uint8_t(last);
  return p;
}

const PeerAddress kLocal = v4(127, 0, 0, 1);

TEST(LoginThrottle, AllowsABurstOfFailuresThenOneEveryRefill) {
  LoginThrottle t;
  for (int i = 0; i < LoginThrottle::kBurst; ++i) {
    EXPECT_EQ(t.waitMs(kLocal, kStart), 0) << "attempt " << i;
    t.recordFailure(kLocal, kStart);
  }
  // Empty: the next login waits a whole refill, less what has passed.
  EXPECT_EQ(t.waitMs(kLocal, kStart), LoginThrottle::kRefillMs);
  EXPECT_EQ(t.waitMs(kLocal, kStart + 2000), LoginThrottle::kRefillMs - 2000);
  EXPECT_EQ(t.waitMs(kLocal, kStart + LoginThrottle::kRefillMs), 0);
  t.recordFailure(kLocal, kStart + LoginThrottle::kRefillMs);
  EXPECT_GT(t.waitMs(kLocal, kStart + LoginThrottle::kRefillMs), 0);
}

TEST(LoginThrottle, RefillsUpToTheBurstOnly) {
  LoginThrottle t;
  t.recordFailure(kLocal, kStart);
  // A long quiet time does not bank more than a burst.
  const int64_t later = kStart + 100 * LoginThrottle::kRefillMs;
  for (int i = 0; i < LoginThrottle::kBurst; ++i) t.recordFailure(kLocal, later);
  EXPECT_GT(t.waitMs(kLocal, later), 0);
}

TEST(LoginThrottle, AClockGoingBackGivesNoTokens) {
  LoginThrottle t;
  for (int i = 0; i < LoginThrottle::kBurst; ++i) t.recordFailure(kLocal, kStart);
  EXPECT_GT(t.waitMs(kLocal, kStart - 60'000), 0);
  EXPECT_EQ(t.waitMs(kLocal, kStart - 60'000 + LoginThrottle::kRefillMs), 0);
}

TEST(LoginThrottle, AFloodFromOneAddressLeavesAnotherAlone) {
  LoginThrottle t;
  const PeerAddress other = v4(127, 0, 0, 2);
  for (int i = 0; i < 3 * LoginThrottle::kBurst; ++i) t.recordFailure(kLocal, kStart);
  EXPECT_GT(t.waitMs(kLocal, kStart), 0);
  EXPECT_EQ(t.waitMs(other, kStart), 0);
  EXPECT_EQ(t.addresses(), 1u);
}

TEST(LoginThrottle, CountsAnIpv6HostByItsSlash64) {
  LoginThrottle t;
  // Addresses of one /64 (2001::1, 2001::2, ...) share a bucket; another /64 does not.
  for (int i = 0; i < LoginThrottle::kBurst; ++i) t.recordFailure(v6(0x2001, uint16_t(i)), kStart);
  EXPECT_GT(t.waitMs(v6(0x2001, 0xbeef), kStart), 0);
  EXPECT_EQ(t.waitMs(v6(0x2002, 0), kStart), 0);
  // IPv4 addresses differ in their last bytes: never folded together.
  for (int i = 0; i < LoginThrottle::kBurst; ++i) t.recordFailure(v4(10, 0, 0, 1), kStart);
  EXPECT_EQ(t.waitMs(v4(10, 0, 0, 2), kStart), 0);
}

TEST(LoginThrottle, TheGatewayBucketStopsAFloodFromManyAddresses) {
  LoginThrottle t;
  // Each address stays under its own burst; together they empty the gateway's bucket.
  int failures = 0;
  for (uint8_t a = 1; failures < LoginThrottle::kGatewayBurst; ++a) {
    for (int i = 0; i < LoginThrottle::kBurst - 1 && failures < LoginThrottle::kGatewayBurst;
         ++i, ++failures) {
      t.recordFailure(v4(10, 1, 0, a), kStart);
    }
  }
  EXPECT_EQ(t.waitMs(v4(192, 168, 1, 1), kStart), LoginThrottle::kGatewayRefillMs);
  EXPECT_EQ(t.waitMs(v4(192, 168, 1, 1), kStart + LoginThrottle::kGatewayRefillMs), 0);
}

TEST(LoginThrottle, AFullTableForgetsRefilledAddressesFirst) {
  LoginThrottle t;
  // `busy` empties its bucket (full again a minute later); the fillers take one token each
  // (full again 6 s later) and fill the table.
  const PeerAddress busy = v4(127, 0, 0, 9);
  for (int i = 0; i < LoginThrottle::kBurst; ++i) t.recordFailure(busy, kStart);
  for (size_t i = 1; i < LoginThrottle::kMaxAddresses; ++i) {
    t.recordFailure(v4(10, 1, uint8_t(i >> 8), uint8_t(i)), kStart + 1);
  }
  EXPECT_EQ(t.addresses(), LoginThrottle::kMaxAddresses);
  // 7 s on, a new address finds the table full: the refilled fillers go, `busy` (idle longer,
  // but not refilled) stays with what it has left.
  const int64_t now = kStart + 7000;
  t.recordFailure(v4(10, 2, 0, 1), now);
  EXPECT_EQ(t.addresses(), 2u);
  t.recordFailure(busy, now);
  EXPECT_EQ(t.waitMs(busy, now), LoginThrottle::kRefillMs - (7000 - LoginThrottle::kRefillMs));
}

TEST(LoginThrottle, AFullTableEvictsTheIdlestAddress) {
  LoginThrottle t;
  // Every entry is still partly empty, so none has expired: the one updated longest ago goes.
  const PeerAddress oldest = v4(10, 9, 9, 9);
  t.recordFailure(oldest, kStart);
  for (size_t i = 1; i < LoginThrottle::kMaxAddresses; ++i) {
    t.recordFailure(v4(10, 2, uint8_t(i >> 8), uint8_t(i)), kStart + 1);
  }
  EXPECT_EQ(t.addresses(), LoginThrottle::kMaxAddresses);
  // A newcomer still gets a bucket of its own (its wait is its own, longer than the gateway's).
  for (int i = 0; i < LoginThrottle::kBurst; ++i) t.recordFailure(v4(10, 3, 0, 1), kStart + 2);
  EXPECT_EQ(t.addresses(), LoginThrottle::kMaxAddresses);
  EXPECT_EQ(t.waitMs(v4(10, 3, 0, 1), kStart + 2), LoginThrottle::kRefillMs);
  // The idlest one was forgotten: its next failures count from a full bucket.
  for (int i = 0; i < LoginThrottle::kBurst - 1; ++i) t.recordFailure(oldest, kStart + 3);
  EXPECT_LE(t.waitMs(oldest, kStart + 3), LoginThrottle::kGatewayRefillMs);
}

}  // namespace
}  // namespace switchyard
