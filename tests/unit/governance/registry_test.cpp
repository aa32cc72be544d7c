#include <gtest/gtest.h>

#include "governance/registry.hpp"

namespace switchyard {
namespace {

constexpr int64_t kNow = 1'700'000'000'000;

Principal principal(PrincipalKind kind, std::string id) {
  Principal p;
  p.kind = kind;
  p.id = std::move(id);
  if (kind == PrincipalKind::kKey) p.keyName = p.id;  // what a key's messages call it
  return p;
}

struct RegistryTest : ::testing::Test {
  std::vector<BudgetReset> resets;
  Registry registry{[this](const BudgetReset& r) { resets.push_back(r); }};
};

constexpr auto kStrict = BudgetAdmission::kStrict;

TEST_F(RegistryTest, StrictConcurrentReservationsCannotPassTheBudget) {
  Principal k = principal(PrincipalKind::kKey, "k");
  k.maxBudget = 1.0;
  k.spend = 0.5;
  registry.load({k});
  std::vector<Ticket> admitted;
  for (int i = 0; i < 100; ++i) {
    if (auto t = registry.admit("k", "m", 0.1, kNow, kStrict)) admitted.push_back(*t);
  }
  EXPECT_EQ(admitted.size(), 5u);  // 0.5 + 5 * 0.1 = 1.0
  auto denied = registry.admit("k", "m", 0.1, kNow, kStrict);
  ASSERT_FALSE(denied);
  EXPECT_EQ(denied.error().status, 400);
  EXPECT_EQ(denied.error().code, "budget_exceeded");
  EXPECT_EQ(denied.error().message,
            "Budget has been exceeded: key 'k' has spent 0.500000 USD of its max_budget 1.000000 "
            "USD, and 5 requests in flight hold 0.500000 USD more.");
  for (const auto& t : admitted) registry.settle(t, 0.05, 10);
  EXPECT_DOUBLE_EQ(registry.find(PrincipalKind::kKey, "k")->spend, 0.75);
  EXPECT_TRUE(registry.admit("k", "m", 0.1, kNow, kStrict));
}

TEST_F(RegistryTest, StrictRefusesAnEstimateThatDoesNotFitAndSaysSo) {
  Principal k = principal(PrincipalKind::kKey, "k");
  k.maxBudget = 0.00005;
  registry.load({k});
  auto denied = registry.admit("k", "m", 0.0006, kNow, kStrict);
  ASSERT_FALSE(denied);
  EXPECT_EQ(denied.error().code, "budget_exceeded");
  EXPECT_EQ(denied.error().message,
            "Budget has been exceeded: key 'k' has spent 0.000000 USD of its max_budget 0.000050 "
            "USD; this request is estimated at up to 0.000600 USD, which would pass the budget "
            "(budget_admission: strict).");
  EXPECT_TRUE(registry.admit("k", "m", 0.00005, kNow, kStrict));  // exactly fits
}

TEST_F(RegistryTest, UnderBudgetAdmitsTheRequestThatCrossesTheLineThenRefuses) {
  Principal k = principal(PrincipalKind::kKey, "k");
  k.maxBudget = 0.00005;
  registry.load({k});
  // The first request is served although its estimate is larger than the whole budget.
  auto first = registry.admit("k", "m", 0.0006, kNow);
  ASSERT_TRUE(first);
  // While it is in flight its reservation fills the budget: parallel requests cannot multiply
  // the overshoot.
  auto parallel = registry.admit("k", "m", 0.0006, kNow);
  ASSERT_FALSE(parallel);
  EXPECT_EQ(parallel.error().message,
            "Budget has been exceeded: key 'k' has spent 0.000000 USD of its max_budget 0.000050 "
            "USD, and 1 request in flight holds 0.000600 USD more.");
  registry.settle(*first, 0.00002, 30);  // cheaper than estimated: still under
  auto second = registry.admit("k", "m", 0.0006, kNow);
  ASSERT_TRUE(second);
  registry.settle(*second, 0.00004, 30);  // 0.00006 spent: past the budget
  auto third = registry.admit("k", "m", 0.0006, kNow);
  ASSERT_FALSE(third);
  EXPECT_EQ(third.error().status, 400);
  EXPECT_EQ(third.error().code, "budget_exceeded");
  EXPECT_EQ(third.error().message,
            "Budget has been exceeded: key 'k' has spent 0.000060 USD of its max_budget 0.000050 "
            "USD.");
}

TEST_F(RegistryTest, UnderBudgetAppliesToUserAndTeamToo) {
  Principal team = principal(PrincipalKind::kTeam, "t");
  team.alias = "research";
  team.maxBudget = 1.0;
  team.spend = 1.0;
  Principal user = principal(PrincipalKind::kUser, "u");
  user.maxBudget = 1.0;
  user.spend = 0.999;
  Principal a = principal(PrincipalKind::kKey, "a");
  a.userId = "u";
  Principal b = principal(PrincipalKind::kKey, "b");
  b.teamId = "t";
  registry.load({team, user, a, b});
  auto ta = registry.admit("a", "m", 5.0, kNow);  // user under budget by 0.001: admitted
  ASSERT_TRUE(ta);
  auto ua = registry.admit("a", "m", 0.0, kNow);
  ASSERT_FALSE(ua);
  EXPECT_NE(ua.error().message.find("user 'u' has spent 0.999000 USD"), std::string::npos);
  auto tb = registry.admit("b", "m", 0.0, kNow);
  ASSERT_FALSE(tb);
  EXPECT_EQ(tb.error().message,
            "Budget has been exceeded: team 'research' has spent 1.000000 USD of its max_budget "
            "1.000000 USD.");
}

TEST_F(RegistryTest, TeamAndUserLimitsApplyToEveryKey) {
  Principal team = principal(PrincipalKind::kTeam, "t");
  team.maxBudget = 0.2;
  team.alias = "research";
  Principal user = principal(PrincipalKind::kUser, "u");
  user.rpmLimit = 3;
  Principal a = principal(PrincipalKind::kKey, "a");
  a.teamId = "t";
  a.userId = "u";
  a.maxBudget = 100;
  registry.load({team, user, a});
  for (int i = 0; i < 2; ++i) ASSERT_TRUE(registry.admit("a", "m", 0.1, kNow));
  auto overTeam = registry.admit("a", "m", 0.1, kNow);
  ASSERT_FALSE(overTeam);
  EXPECT_NE(overTeam.error().message.find("team 'research'"), std::string::npos);
  Principal b = principal(PrincipalKind::kKey, "b");
  b.userId = "u";
  registry.put(b);
  ASSERT_TRUE(registry.admit("b", "m", 0, kNow));
  auto overUser = registry.admit("b", "m", 0, kNow);  // user's 4th request this minute
  ASSERT_FALSE(overUser);
  EXPECT_EQ(overUser.error().status, 429);
  EXPECT_TRUE(registry.admit("b", "m", 0, kNow + 60'000));  // next minute
}

TEST_F(RegistryTest, BlockedExpiredAndModelsAre401) {
  Principal k = principal(PrincipalKind::kKey, "k");
  k.models = {"gpt-4o-mini", "openai/*"};
  k.expiresAt = kNow + 1000;
  registry.load({k});
  EXPECT_TRUE(registry.admit("k", "gpt-4o-mini", 0, kNow));
  EXPECT_TRUE(registry.admit("k", "openai/gpt-5", 0, kNow));
  auto model = registry.admit("k", "gpt-4o", 0, kNow);
  ASSERT_FALSE(model);
  EXPECT_EQ(model.error().status, 401);
  EXPECT_EQ(model.error().code, "key_model_access_denied");
  auto expired = registry.admit("k", "gpt-4o-mini", 0, kNow + 1000);
  ASSERT_FALSE(expired);
  EXPECT_EQ(expired.error().code, "expired_key");
  k.blocked = true;
  k.expiresAt = 0;
  registry.put(k);
  EXPECT_EQ(registry.admit("k", "gpt-4o-mini", 0, kNow).error().code, "key_blocked");
  EXPECT_EQ(registry.admit("nope", "gpt-4o-mini", 0, kNow).error().status, 401);
}

TEST_F(RegistryTest, BudgetResetsOnScheduleAndParallelLimit) {
  Principal k = principal(PrincipalKind::kKey, "k");
  k.maxBudget = 1;
  k.spend = 1;
  k.budgetDuration = "1h";
  k.budgetResetAt = kNow + 10;
  k.maxParallelRequests = 1;
  registry.load({k});
  EXPECT_FALSE(registry.admit("k", "m", 0, kNow));
  auto t = registry.admit("k", "m", 0.1, kNow + 3'600'000 * 2);
  ASSERT_TRUE(t);
  ASSERT_EQ(resets.size(), 1u);
  EXPECT_EQ(resets[0].previousResetAt, kNow + 10);
  EXPECT_EQ(resets[0].nextResetAt, kNow + 10 + 2 * 3'600'000);
  auto parallel = registry.admit("k", "m", 0.1, kNow + 3'600'000 * 2);
  ASSERT_FALSE(parallel);
  EXPECT_EQ(parallel.error().status, 429);
  registry.settle(*t, 0.01, 5);
  EXPECT_TRUE(registry.admit("k", "m", 0.1, kNow + 3'600'000 * 2));
}

TEST_F(RegistryTest, RefreshKeepsUnwrittenSpend) {
  Principal k = principal(PrincipalKind::kKey, "k");
  registry.load({k});
  auto t = registry.admit("k", "m", 0, kNow);
  registry.settle(*t, 0.3, 1);
  registry.load({k});  // the store does not have the 0.3 yet
  EXPECT_DOUBLE_EQ(registry.find(PrincipalKind::kKey, "k")->spend, 0.3);
  registry.onFlushed({{PrincipalKind::kKey, "k", 0.3}});
  k.spend = 0.3;  // now it does
  registry.load({k});
  EXPECT_DOUBLE_EQ(registry.find(PrincipalKind::kKey, "k")->spend, 0.3);
}

TEST_F(RegistryTest, EndUserIsCreatedOnFirstUseAndHeldToTheDefaultBudget) {
  registry.load({principal(PrincipalKind::kKey, "k")});
  const EndUser bob{"bob", 0.001};
  auto first =
      registry.admit("k", "m", 0.0, kNow, BudgetAdmission::kUnderBudget, nullptr, nullptr, &bob);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->endUserId, "bob");
  ASSERT_TRUE(registry.find(PrincipalKind::kEndUser, "bob"));
  registry.settle(*first, 0.002, 10);
  EXPECT_DOUBLE_EQ(registry.find(PrincipalKind::kEndUser, "bob")->spend, 0.002);
  EXPECT_DOUBLE_EQ(registry.find(PrincipalKind::kKey, "k")->spend, 0.002);
  auto second =
      registry.admit("k", "m", 0.0, kNow, BudgetAdmission::kUnderBudget, nullptr, nullptr, &bob);
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, "budget_exceeded");
  EXPECT_EQ(second.error().message,
            "Budget has been exceeded: end_user 'bob' has spent 0.002000 USD of its max_budget "
            "0.001000 USD.");
  // Another end user of the same key has a budget of its own.
  const EndUser ann{"ann", 0.001};
  EXPECT_TRUE(
      registry.admit("k", "m", 0.0, kNow, BudgetAdmission::kUnderBudget, nullptr, nullptr, &ann));
}

TEST_F(RegistryTest, EndUserOwnBudgetAndBlockWinAndMasterKeyRequestsAreChecked) {
  Principal rich = principal(PrincipalKind::kEndUser, "rich");
  rich.maxBudget = 10.0;
  rich.spend = 5.0;
  Principal banned = principal(PrincipalKind::kEndUser, "banned");
  banned.blocked = true;
  registry.load({rich, banned});
  const EndUser richUser{"rich", 0.001};  // its own budget, not the default
  // An empty key id is a master-key request: only the end user is checked.
  auto t = registry.admit("", "m", 0.0, kNow, BudgetAdmission::kUnderBudget, nullptr, nullptr,
                          &richUser);
  ASSERT_TRUE(t);
  EXPECT_TRUE(t->keyId.empty());
  registry.settle(*t, 1.0, 5);
  EXPECT_DOUBLE_EQ(registry.find(PrincipalKind::kEndUser, "rich")->spend, 6.0);
  const EndUser bannedUser{"banned", std::nullopt};
  auto refused = registry.admit("", "m", 0.0, kNow, BudgetAdmission::kUnderBudget, nullptr, nullptr,
                                &bannedUser);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().message, "Authentication Error: end_user 'banned' is blocked.");
}

TEST_F(RegistryTest, RefreshKeepsAnEndUserNotYetWritten) {
  registry.load({});
  const EndUser bob{"bob", std::nullopt};
  auto t =
      registry.admit("", "m", 0.0, kNow, BudgetAdmission::kUnderBudget, nullptr, nullptr, &bob);
  ASSERT_TRUE(t);
  registry.load({});  // in flight, not in the store yet
  registry.settle(*t, 0.5, 1);
  EXPECT_DOUBLE_EQ(registry.find(PrincipalKind::kEndUser, "bob")->spend, 0.5);
  registry.load({});  // spent, not written yet
  EXPECT_DOUBLE_EQ(registry.find(PrincipalKind::kEndUser, "bob")->spend, 0.5);
  registry.onFlushed({{PrincipalKind::kEndUser, "bob", 0.5}});
  registry.load({});  // written, and gone from the store (deleted): gone here too
  EXPECT_FALSE(registry.find(PrincipalKind::kEndUser, "bob"));
}

TEST(BudgetDuration, Parses) {
  EXPECT_EQ(parseBudgetDuration("30s"), 30'000);
  EXPECT_EQ(parseBudgetDuration("2h"), 7'200'000);
  EXPECT_EQ(parseBudgetDuration("1mo"), int64_t{30} * 86'400'000);
  for (auto bad : {"", "s", "0d", "-1d", "1y", "1.5h", "10"}) {
    EXPECT_FALSE(parseBudgetDuration(bad)) << bad;
  }
}

}  // namespace
}  // namespace switchyard
