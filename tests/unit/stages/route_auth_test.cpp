// The one table of who may call a route: each rule's answer for no key, a wrong key and the
// master key, with and without a master key configured.

#include "stages/auth/route_auth.hpp"

#include <gtest/gtest.h>

namespace switchyard {
namespace {

Snapshot withMasterKey(std::string key) {
  Snapshot s;
  s.masterKey = std::move(key);
  return s;
}

TEST(RouteAuth, PublicAndPipelineRoutesAreAdmittedHere) {
  const Snapshot s = withMasterKey("sk-master");
  for (RouteAuth rule : {RouteAuth::kPublic, RouteAuth::kPipeline}) {
    EXPECT_FALSE(authorizeRoute(rule, s, ""));
    EXPECT_FALSE(authorizeRoute(rule, s, "sk-wrong"));
  }
}

TEST(RouteAuth, GatewayAndMasterRoutesRefuseAMissingOrWrongKey) {
  const Snapshot s = withMasterKey("sk-master");
  for (RouteAuth rule : {RouteAuth::kGatewayKey, RouteAuth::kMasterKey}) {
    auto missing = authorizeRoute(rule, s, "");
    ASSERT_TRUE(missing);
    EXPECT_EQ(missing->status, 401);
    auto wrong = authorizeRoute(rule, s, "sk-wrong");
    ASSERT_TRUE(wrong);
    EXPECT_EQ(wrong->status, 401);
    EXPECT_FALSE(authorizeRoute(rule, s, "sk-master"));
  }
}

TEST(RouteAuth, WithoutAMasterKeyNothingIsGuarded) {
  const Snapshot s;
  EXPECT_FALSE(authorizeRoute(RouteAuth::kGatewayKey, s, ""));
  EXPECT_FALSE(authorizeRoute(RouteAuth::kMasterKey, s, "anything"));
}

}  // namespace
}  // namespace switchyard
