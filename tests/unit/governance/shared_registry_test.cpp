// Two registries on one Redis stand for two gateway instances: rpm, tpm, parallel requests and
// budgets of a key and its team count what both admitted.
#include <gtest/gtest.h>

#include <thread>

#include "governance/registry.hpp"
#include "store/redis/shared_counters.hpp"
#include "store/redis_server.hpp"

namespace switchyard {
namespace {

using namespace std::chrono_literals;

constexpr int64_t kNow = 1'700'000'000'000;  // on a minute boundary: one window for the test

Principal key(std::string id, std::string team = {}) {
  Principal p;
  p.kind = PrincipalKind::kKey;
  p.id = p.keyName = std::move(id);
  p.teamId = std::move(team);
  return p;
}

struct Instance {
  explicit Instance(const SharedCountersOptions& o) : shared(o) {}
  SharedCounters shared;
  Registry registry{[](const BudgetReset&) {}};

  // Admits as the budget stage does: waiting out a lease refill.
  Result<Ticket> admit(const std::string& id, double estimate = 0.0) {
    for (int i = 0; i < 200; ++i) {
      std::string wait;
      auto t =
          registry.admit(id, "m", estimate, kNow, BudgetAdmission::kUnderBudget, &shared, &wait);
      if (wait.empty()) return t;
      std::this_thread::sleep_for(2ms);
    }
    return Error::make(ErrorClass::kInternal, "no refill");
  }
};

class SharedRegistryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (redis_.port() == 0 || !redis_.why().empty()) GTEST_SKIP() << redis_.why();
    SharedCountersOptions o;
    o.redis = redis_.endpoint();
    o.prefix =
        std::string("reg:") + ::testing::UnitTest::GetInstance()->current_test_info()->name() + ":";
    o.expectedInstances = 2;
    o.syncInterval = 10ms;
    a_ = std::make_unique<Instance>(o);
    b_ = std::make_unique<Instance>(o);
  }
  void load(const std::vector<Principal>& records) {
    a_->registry.load(records);
    b_->registry.load(records);
  }
  template <class F>
  static bool eventually(F f) {
    for (int i = 0; i < 400 && !f(); ++i) std::this_thread::sleep_for(5ms);
    return f();
  }
  testing::RedisServer redis_;
  std::unique_ptr<Instance> a_, b_;
};

TEST_F(SharedRegistryTest, RpmHoldsAcrossInstances) {
  Principal k = key("k");
  k.rpmLimit = 20;
  load({k});
  int admitted = 0;
  for (int i = 0; i < 60; ++i) {
    auto t = (i % 2 ? *a_ : *b_).admit("k");
    if (t) {
      ++admitted;
    } else {
      EXPECT_EQ(t.error().status, 429);
      EXPECT_NE(t.error().message.find("rpm_limit 20"), std::string::npos) << t.error().message;
    }
  }
  EXPECT_EQ(admitted, 20);
}

TEST_F(SharedRegistryTest, ATeamBudgetSpentOnOneInstanceStopsTheOther) {
  Principal k1 = key("k1", "t"), k2 = key("k2", "t");
  Principal team;
  team.kind = PrincipalKind::kTeam;
  team.id = "t";
  team.maxBudget = 1.0;
  load({k1, k2, team});
  auto t = a_->admit("k1", 0.1);
  ASSERT_TRUE(t);
  a_->registry.settle(*t, 1.5, 100, &a_->shared, kNow);
  // b has not read a's spend from any store: it comes through Redis.
  EXPECT_TRUE(eventually([&] {
    auto r = b_->admit("k2", 0.1);
    return !r && r.error().code == "budget_exceeded";
  }));
}

TEST_F(SharedRegistryTest, TpmAndParallelRequestsCountBothInstances) {
  Principal k = key("k");
  k.tpmLimit = 1000;
  k.maxParallelRequests = 2;
  load({k});
  auto t1 = a_->admit("k");
  ASSERT_TRUE(t1);
  auto t2 = b_->admit("k");
  ASSERT_TRUE(t2);
  // Two in flight, one on each: a third on either is refused once the levels were exchanged.
  EXPECT_TRUE(eventually([&] {
    auto r = a_->admit("k");
    if (r) a_->registry.settle(*r, 0, 0, &a_->shared, kNow);
    return !r && r.error().message.find("max_parallel_requests") != std::string::npos;
  }));
  a_->registry.settle(*t1, 0, 600, &a_->shared, kNow);
  b_->registry.settle(*t2, 0, 600, &b_->shared, kNow);
  EXPECT_TRUE(eventually([&] {
    auto r = a_->admit("k");
    if (r) a_->registry.settle(*r, 0, 0, &a_->shared, kNow);
    return !r && r.error().message.find("tpm_limit 1000") != std::string::npos;
  }));
}

}  // namespace
}  // namespace switchyard
