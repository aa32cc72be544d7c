// check-config output: complete enough to debug a config, never leaking a secret.

#include <gtest/gtest.h>

#include "config/loader.hpp"
#include "config_test_util.hpp"

namespace switchyard {
namespace {

using testing::mapEnvironment;

TEST(DescribeSnapshot, MasksKeysAndListsEverything) {
  const std::string openaiKey = "sk-proj-SECRETSECRETSECRETabcd";
  const std::string masterKey = "sk-master-TOPSECRET-9876";
  const std::string headerSecret = "Bearer header-secret-value";
  auto r = loadConfigText(
      R"yaml(
model_list:
  - model_name: gpt-4o
    litellm_params:
      model: openai/gpt-4o
      api_key: os.environ/OPENAI_API_KEY
      rpm: 100
      extra_headers: {Authorization: os.environ/HEADER_SECRET}
  - model_name: gpt-4o
    litellm_params: {model: azure/gpt4o-eu, api_base: "https://eu.openai.azure.com",
                     api_key: short, api_version: "2024-06-01", timeout: 1.5}
  - model_name: "groq/*"
    litellm_params: {model: "groq/*"}
router_settings:
  routing_strategy: simple-shuffle
general_settings:
  master_key: os.environ/MASTER
  database_url: "postgresql://user:dbpassword@db:5432/litellm"
)yaml",
      mapEnvironment(
          {{"OPENAI_API_KEY", openaiKey}, {"MASTER", masterKey}, {"HEADER_SECRET", headerSecret}}),
      "my-config.yaml");
  ASSERT_TRUE(r.ok()) << testing::allDiagnostics(r);
  const std::string text = describeSnapshot(*r.snapshot, r.diagnostics);

  EXPECT_EQ(text.find(openaiKey), std::string::npos) << text;
  EXPECT_EQ(text.find(masterKey), std::string::npos) << text;
  EXPECT_EQ(text.find("header-secret-value"), std::string::npos) << text;
  EXPECT_EQ(text.find("dbpassword"), std::string::npos) << text;
  EXPECT_EQ(text.find("short"), std::string::npos) << text;

  EXPECT_NE(text.find("source: my-config.yaml"), std::string::npos) << text;
  EXPECT_NE(text.find("key sk-...abcd"), std::string::npos) << text;
  EXPECT_NE(text.find("master key: sk-...9876"), std::string::npos) << text;
  EXPECT_NE(text.find("key ****"), std::string::npos) << text;
  EXPECT_NE(text.find("key (none)"), std::string::npos) << text;  // groq without a key
  EXPECT_NE(text.find("gpt-4o (2 deployments)"), std::string::npos) << text;
  EXPECT_NE(text.find("gpt-4o#1: azure model gpt4o-eu (azure format)"), std::string::npos) << text;
  EXPECT_NE(text.find("api_base https://eu.openai.azure.com"), std::string::npos) << text;
  EXPECT_NE(text.find("api_version 2024-06-01"), std::string::npos) << text;
  EXPECT_NE(text.find("timeout 1.5s"), std::string::npos) << text;
  EXPECT_NE(text.find("rpm 100"), std::string::npos) << text;
  EXPECT_NE(text.find("extra headers: Authorization"), std::string::npos) << text;
  EXPECT_NE(text.find("wildcards (1):\n  groq/*"), std::string::npos) << text;
  EXPECT_NE(text.find("warning: model_list[2].litellm_params.api_key"), std::string::npos) << text;
  EXPECT_NE(text.find("database_url: set"), std::string::npos) << text;
}

TEST(DescribeSnapshot, MockSnapshotHidesItsShortKey) {
  auto base = parseUrl("http://127.0.0.1:9999");
  ASSERT_TRUE(base);
  const std::string text = describeSnapshot(*snapshotForMock(*base));
  EXPECT_EQ(text.find("mock-key"), std::string::npos) << text;
  EXPECT_NE(text.find("master key: (none: authentication is off)"), std::string::npos) << text;
  EXPECT_NE(text.find("model groups (3):"), std::string::npos) << text;
  EXPECT_NE(text.find("  mock/*\n"), std::string::npos) << text;
  EXPECT_EQ(text.find("diagnostics"), std::string::npos) << text;
}

TEST(MaskSecret, Forms) {
  EXPECT_EQ(maskSecret(""), "(none)");
  EXPECT_EQ(maskSecret("abc"), "****");
  EXPECT_EQ(maskSecret("sk-12345678"), "****");  // 11 chars: prefix+suffix would show most
  EXPECT_EQ(maskSecret("sk-123456789"), "sk-...6789");
  EXPECT_EQ(maskSecret("sk-ant-api03-verylongsecretkeyXYZW"), "sk-...XYZW");
}

}  // namespace
}  // namespace switchyard
