// Counters shared by several instances through a real redis-server: two SharedCounters in one
// process stand for two gateways. Leases never grant past a limit, totals and levels reach the
// other instance, cooldowns travel, and an outage falls back to per-instance limits and back.
#include <gtest/gtest.h>

#include <thread>

#include "config/snapshot.hpp"
#include "routing/deployment_state.hpp"
#include "store/redis/shared_counters.hpp"
#include "store/redis_server.hpp"

namespace switchyard {
namespace {

using namespace std::chrono_literals;

SharedCountersOptions options(const testing::RedisServer& redis, int instances = 2) {
  SharedCountersOptions o;
  o.redis = redis.endpoint();
  o.prefix = "test:" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + ":" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name() + ":";
  o.expectedInstances = instances;
  o.syncInterval = 10ms;
  return o;
}

// Takes one unit, waiting out refills the way the budget stage does (without a coroutine).
bool takeOne(SharedCounters& c, const std::string& name, int64_t limit, int64_t window) {
  for (int i = 0; i < 200; ++i) {
    const auto t = c.take(name, limit, window);
    if (t != SharedCounters::Take::kWait) return t == SharedCounters::Take::kTaken;
    std::this_thread::sleep_for(2ms);
  }
  ADD_FAILURE() << "no refill came";
  return false;
}

template <class F>
bool eventually(F f, std::chrono::milliseconds within = 2s) {
  const auto end = std::chrono::steady_clock::now() + within;
  while (std::chrono::steady_clock::now() < end) {
    if (f()) return true;
    std::this_thread::sleep_for(5ms);
  }
  return f();
}

class SharedCountersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (redis_.port() == 0 || !redis_.why().empty()) GTEST_SKIP() << redis_.why();
  }
  testing::RedisServer redis_;
};

TEST_F(SharedCountersTest, LeasesNeverGrantMoreThanTheLimitAcrossInstances) {
  SharedCounters a(options(redis_)), b(options(redis_));
  ASSERT_TRUE(a.sharing());
  int taken = 0;
  for (int i = 0; i < 100; ++i) {
    taken += takeOne(i % 3 == 0 ? a : b, "rpm:key:k1", 37, 1000);
  }
  EXPECT_EQ(taken, 37);
  // Another window starts from zero.
  EXPECT_TRUE(takeOne(a, "rpm:key:k1", 37, 1001));
  EXPECT_GE(a.stats().leaseGrants, 1u);
}

TEST_F(SharedCountersTest, AnIdleLeaseGivesItsUnitsBack) {
  SharedCounters a(options(redis_)), b(options(redis_));
  ASSERT_TRUE(takeOne(a, "rpm:key:k", 40, 7));  // a now holds a slice beyond the one it took
  int fromB = 0;
  while (takeOne(b, "rpm:key:k", 40, 7)) ++fromB;
  EXPECT_LT(fromB, 39);
  // After a second without takes, a returns what it holds, and b may use it.
  EXPECT_TRUE(eventually([&] { return takeOne(b, "rpm:key:k", 40, 7); }, 3s));
}

TEST_F(SharedCountersTest, GivenBackUnitsAreTakenAgain) {
  SharedCounters a(options(redis_, 1));
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(takeOne(a, "rpm:x", 5, 1));
  EXPECT_FALSE(takeOne(a, "rpm:x", 5, 1));
  a.giveBack("rpm:x", 1);
  EXPECT_TRUE(takeOne(a, "rpm:x", 5, 1));
}

TEST_F(SharedCountersTest, TotalsReachTheOtherInstance) {
  SharedCounters a(options(redis_)), b(options(redis_));
  EXPECT_EQ(b.total("tpm:key:k", 5, 60s), 0);
  a.add("tpm:key:k", 5, 1200, 60s);
  a.add("tpm:key:k", 5, 34.5, 60s);
  EXPECT_EQ(a.total("tpm:key:k", 5, 60s), 1234.5);
  EXPECT_TRUE(eventually([&] { return b.total("tpm:key:k", 5, 60s) == 1234.5; }));
  b.add("tpm:key:k", 5, 1, 60s);
  EXPECT_TRUE(eventually([&] { return a.total("tpm:key:k", 5, 60s) == 1235.5; }));
  EXPECT_EQ(a.total("tpm:key:k", 6, 60s), 0);  // a new window
}

TEST_F(SharedCountersTest, LevelsSumOverLiveInstancesOnly) {
  SharedCounters b(options(redis_));
  {
    SharedCounters a(options(redis_));
    a.adjust("inflight:key:k", 3);
    b.adjust("inflight:key:k", 1);
    EXPECT_TRUE(eventually([&] { return b.level("inflight:key:k") == 4; }));
    a.adjust("inflight:key:k", -1);
    EXPECT_TRUE(eventually([&] { return b.level("inflight:key:k") == 3; }));
  }
  // a is gone without bringing its level to zero (a crash): its heartbeat ages out.
  EXPECT_TRUE(eventually([&] { return b.level("inflight:key:k") == 1; }, 4s));
}

TEST_F(SharedCountersTest, ACooldownOnOneInstanceIsSeenByTheOther) {
  SharedCounters a(options(redis_)), b(options(redis_));
  auto stateA = std::make_shared<DeploymentState>();
  auto stateB = std::make_shared<DeploymentState>();
  a.watchDeployments({{"gpt#0", stateA}});
  b.watchDeployments({{"gpt#0", stateB}});
  RouterSettings settings;
  settings.allowedFails = 0;
  settings.cooldownTime = 30s;
  const auto now = RouterClock::now();
  stateA->begin(now);
  stateA->failed(now, Error::make(ErrorClass::kUpstreamServer, "boom"), settings);
  ASSERT_EQ(stateA->breaker(now), BreakerState::kOpen);
  EXPECT_TRUE(
      eventually([&] { return stateB->breaker(RouterClock::now()) == BreakerState::kOpen; }));
  EXPECT_GT(stateB->cooldownUntil(), now + 20s);
}

TEST_F(SharedCountersTest, DeploymentRequestsCountOnEveryInstance) {
  SharedCounters a(options(redis_)), b(options(redis_));
  auto stateA = std::make_shared<DeploymentState>();
  auto stateB = std::make_shared<DeploymentState>();
  a.watchDeployments({{"gpt#0", stateA}});
  b.watchDeployments({{"gpt#0", stateB}});
  Deployment d;
  d.rpm = 3;
  for (int i = 0; i < 3; ++i) {
    stateA->begin(RouterClock::now());
    stateA->succeeded(RouterClock::now(), 1ms, 1ms, false);
  }
  RouterClock::time_point until;
  EXPECT_TRUE(
      eventually([&] { return stateB->check(d, RouterClock::now(), until) == Unavailable::kRpm; }));
}

TEST_F(SharedCountersTest, AnOutageFallsBackToPerInstanceLimitsAndRecovers) {
  SharedCounters a(options(redis_, 4));
  ASSERT_TRUE(a.sharing());
  redis_.stop();
  a.add("tpm:key:k", 1, 5, 60s);  // gives the sync thread something to send
  ASSERT_TRUE(eventually([&] { return !a.sharing(); }));
  int taken = 0;
  for (int i = 0; i < 50; ++i) taken += takeOne(a, "rpm:key:down", 40, 9);
  EXPECT_EQ(taken, 10);  // 40 / 4 instances
  EXPECT_GE(a.stats().failures, 1u);
  redis_.start();
  EXPECT_TRUE(eventually([&] { return a.sharing(); }, 4s));
  // What was added during the outage was kept and arrives.
  SharedCounters b(options(redis_, 4));
  EXPECT_TRUE(eventually([&] { return b.total("tpm:key:k", 1, 60s) == 5; }));
}

TEST(SharedCountersUnreachable, StartsOnPerInstanceLimitsWithoutHanging) {
  SharedCountersOptions o;
  o.redis.host = "127.0.0.1";
  o.redis.port = static_cast<uint16_t>(testing::freeLoopbackPort());
  o.redis.timeout = 100ms;
  o.expectedInstances = 3;
  const auto start = std::chrono::steady_clock::now();
  SharedCounters c(o);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1s);
  EXPECT_FALSE(c.sharing());
  EXPECT_EQ(c.fallbackLimit(100), 33);  // rounded down: 3 x 33 stays within 100
  EXPECT_EQ(c.take("rpm", 3, 1), SharedCounters::Take::kTaken);
  EXPECT_EQ(c.take("rpm", 3, 1), SharedCounters::Take::kRefused);
}

TEST(RedisUrl, ParsesLiteLLMsForms) {
  std::string why;
  auto e = parseRedisUrl("redis://user:secret@cache.internal:6380/2", why);
  ASSERT_TRUE(e) << why;
  EXPECT_EQ(e->host, "cache.internal");
  EXPECT_EQ(e->port, 6380);
  EXPECT_EQ(e->username, "user");
  EXPECT_EQ(e->password, "secret");
  EXPECT_EQ(e->db, 2);
  e = parseRedisUrl("redis://:pw@127.0.0.1", why);
  ASSERT_TRUE(e) << why;
  EXPECT_EQ(e->port, 6379);
  EXPECT_EQ(e->password, "pw");
  EXPECT_TRUE(e->username.empty());
  EXPECT_FALSE(parseRedisUrl("http://x", why));
  EXPECT_FALSE(parseRedisUrl("rediss://x", why));
  EXPECT_NE(why.find("TLS"), std::string::npos);
  EXPECT_FALSE(parseRedisUrl("redis://x/abc", why));
}

}  // namespace
}  // namespace switchyard
