// Providers whose host depends on the deployment (Bedrock's region, Vertex AI's location) work
// out its api_base through the registry's hook when none is configured.

#include <gtest/gtest.h>

#include "config/loader.hpp"
#include "config_test_util.hpp"

namespace switchyard {
namespace {

std::vector<std::string> apiBases(std::string_view modelList,
                                  std::map<std::string, std::string, std::less<>> env = {}) {
  auto r = loadConfigText("model_list:\n" + std::string(modelList),
                          testing::mapEnvironment(std::move(env)), "t");
  EXPECT_TRUE(r.ok()) << testing::allDiagnostics(r);
  std::vector<std::string> out;
  if (!r.ok()) return out;
  for (const auto& d : r.snapshot->deployments) out.push_back(d->apiBase.toString());
  return out;
}

TEST(ProviderApiBase, BedrockFollowsTheRegion) {
  EXPECT_EQ(apiBases(R"yaml(
  - model_name: a
    litellm_params: {model: "bedrock/anthropic.claude-3-haiku", aws_region_name: eu-west-3}
  - model_name: b
    litellm_params: {model: "bedrock/anthropic.claude-3-haiku"}
  - model_name: c
    litellm_params: {model: "bedrock/anthropic.claude-3-haiku", api_base: "http://local:9000"}
)yaml",
                     {{"AWS_REGION", "ap-south-1"}}),
            (std::vector<std::string>{"https://bedrock-runtime.eu-west-3.amazonaws.com",
                                      "https://bedrock-runtime.ap-south-1.amazonaws.com",
                                      "http://local:9000"}));
  EXPECT_EQ(apiBases(R"yaml(
  - model_name: a
    litellm_params: {model: "bedrock/anthropic.claude-3-haiku"}
)yaml"),
            (std::vector<std::string>{"https://bedrock-runtime.us-east-1.amazonaws.com"}));
}

TEST(ProviderApiBase, VertexFollowsTheLocation) {
  EXPECT_EQ(apiBases(R"yaml(
  - model_name: a
    litellm_params: {model: "vertex_ai/gemini-2.0-flash", vertex_project: p,
                     vertex_location: europe-west4}
  - model_name: b
    litellm_params: {model: "vertex_ai/gemini-2.0-flash", vertex_project: p}
)yaml",
                     {{"VERTEXAI_LOCATION", "global"}}),
            (std::vector<std::string>{"https://europe-west4-aiplatform.googleapis.com",
                                      "https://aiplatform.googleapis.com"}));
  EXPECT_EQ(apiBases(R"yaml(
  - model_name: a
    litellm_params: {model: "vertex_ai/gemini-2.0-flash", vertex_project: p}
)yaml"),
            (std::vector<std::string>{"https://us-central1-aiplatform.googleapis.com"}));
}

}  // namespace
}  // namespace switchyard
