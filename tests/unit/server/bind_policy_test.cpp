// The default listen address and the refusal to run an open relay (server/bind_policy.hpp).

#include "server/bind_policy.hpp"

#include <gtest/gtest.h>

namespace switchyard {
namespace {

Snapshot withKey(std::string apiKey, std::string masterKey = {}) {
  Snapshot s;
  auto d = std::make_shared<Deployment>();
  d->apiKey = std::move(apiKey);
  s.deployments.push_back(d);
  s.masterKey = std::move(masterKey);
  return s;
}

TEST(BindPolicy, LoopbackUnlessAMasterKeyIsSet) {
  EXPECT_EQ(chooseBindAddress(withKey("sk-provider"), std::nullopt, false).host, "127.0.0.1");
  const auto open = chooseBindAddress(withKey("sk-provider", "sk-master"), std::nullopt, false);
  EXPECT_EQ(open.host, "0.0.0.0");
  EXPECT_FALSE(open.refusal);
  EXPECT_TRUE(open.warnings.empty());
}

TEST(BindPolicy, ExplicitOpenAddressWithProviderKeysAndNoMasterKeyIsRefused) {
  const auto refused = chooseBindAddress(withKey("sk-provider"), std::string("0.0.0.0"), false);
  ASSERT_TRUE(refused.refusal);
  EXPECT_NE(refused.refusal->find("--allow-unauthenticated"), std::string::npos);
  EXPECT_NE(refused.refusal->find("master_key"), std::string::npos);

  Snapshot configured = withKey("sk-provider");
  configured.server.host = "10.0.0.5";  // switchyard_settings.host counts as explicit too
  EXPECT_TRUE(chooseBindAddress(configured, std::nullopt, false).refusal);

  const auto allowed = chooseBindAddress(withKey("sk-provider"), std::string("0.0.0.0"), true);
  EXPECT_FALSE(allowed.refusal);
  EXPECT_EQ(allowed.host, "0.0.0.0");
  ASSERT_EQ(allowed.warnings.size(), 1u);
  EXPECT_NE(allowed.warnings[0].find("UNAUTHENTICATED"), std::string::npos);
}

TEST(BindPolicy, LoopbackOrNoCredentialsNeedNoFlag) {
  for (const char* host : {"127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost"}) {
    const auto d = chooseBindAddress(withKey("sk-provider"), std::string(host), false);
    EXPECT_FALSE(d.refusal) << host;
    EXPECT_TRUE(d.warnings.empty()) << host;
  }
  // Nothing to spend (keyless local servers, the mock): allowed, with a warning.
  const auto keyless = chooseBindAddress(withKey(""), std::string("0.0.0.0"), false);
  EXPECT_FALSE(keyless.refusal);
  EXPECT_EQ(keyless.warnings.size(), 1u);
}

TEST(BindPolicy, CloudCredentialsCountAsProviderKeys) {
  Snapshot s = withKey("");
  auto d = std::make_shared<Deployment>();
  d->providerParams["aws_secret_access_key"] = "secret";
  s.deployments.push_back(d);
  EXPECT_TRUE(holdsProviderCredentials(s));
  EXPECT_TRUE(chooseBindAddress(s, std::string("0.0.0.0"), false).refusal);
  Snapshot w;
  WildcardRoute route;
  route.deploymentTemplate.apiKey = "sk-x";
  w.wildcards.push_back(route);
  EXPECT_TRUE(holdsProviderCredentials(w));
}

}  // namespace
}  // namespace switchyard
