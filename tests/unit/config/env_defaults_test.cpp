// Configuration without a file: provider wildcards from the environment, and the mock default.

#include <gtest/gtest.h>

#include "config/loader.hpp"
#include "config_test_util.hpp"

namespace switchyard {
namespace {

using namespace std::chrono_literals;
using testing::hasError;
using testing::hasWarning;
using testing::mapEnvironment;

const WildcardRoute* findRoute(const Snapshot& s, std::string_view prefix) {
  for (const auto& w : s.wildcards) {
    if (w.prefix == prefix) return &w;
  }
  return nullptr;
}

TEST(EnvDefaults, KeysBecomeWildcardRoutes) {
  auto r = snapshotFromEnvironment(mapEnvironment({{"OPENAI_API_KEY", "sk-openai-123456789"},
                                                   {"ANTHROPIC_API_KEY", "sk-ant-123456789"},
                                                   {"GROQ_API_KEY", "gsk_123456789"},
                                                   {"UNRELATED", "x"}}));
  ASSERT_TRUE(r.ok()) << testing::allDiagnostics(r);
  const Snapshot& s = *r.snapshot;
  EXPECT_EQ(s.source, "environment");
  EXPECT_TRUE(s.deployments.empty());
  EXPECT_TRUE(s.groups.empty());
  ASSERT_EQ(s.wildcards.size(), 3u);
  // allProviders() order, so /v1/models is stable.
  EXPECT_EQ(s.modelNames(), (std::vector<std::string>{"openai/*", "anthropic/*", "groq/*"}));

  const auto* openai = findRoute(s, "openai");
  ASSERT_NE(openai, nullptr);
  EXPECT_EQ(openai->deploymentTemplate.provider, "openai");
  EXPECT_EQ(openai->deploymentTemplate.format, WireFormat::kOpenAi);
  EXPECT_EQ(openai->deploymentTemplate.apiKey, "sk-openai-123456789");
  EXPECT_EQ(openai->deploymentTemplate.apiBase.toString(), "https://api.openai.com/v1");
  EXPECT_EQ(openai->deploymentTemplate.upstreamModel, "");
  EXPECT_EQ(openai->deploymentTemplate.id, "openai/*");
  EXPECT_EQ(openai->deploymentTemplate.timeout, 600s);

  const auto* anthropic = findRoute(s, "anthropic");
  ASSERT_NE(anthropic, nullptr);
  EXPECT_EQ(anthropic->deploymentTemplate.apiBase.toString(), "https://api.anthropic.com");
  EXPECT_EQ(anthropic->deploymentTemplate.apiKey, "sk-ant-123456789");
  EXPECT_TRUE(r.diagnostics.empty()) << testing::allDiagnostics(r);
}

TEST(EnvDefaults, NoKeysMeansNoRoutes) {
  auto r = snapshotFromEnvironment(mapEnvironment({{"HOME", "/root"}}));
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r.snapshot->wildcards.empty());
  EXPECT_TRUE(r.snapshot->deployments.empty());
  EXPECT_TRUE(r.snapshot->modelNames().empty());
  EXPECT_EQ(r.snapshot->masterKey, "");
  EXPECT_TRUE(hasWarning(r, "", "no provider api key"));
}

TEST(EnvDefaults, EmptyKeyIsUnset) {
  auto r = snapshotFromEnvironment(mapEnvironment({{"OPENAI_API_KEY", ""}}));
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r.snapshot->wildcards.empty());
}

TEST(EnvDefaults, BaseVariableOverridesDefault) {
  auto r = snapshotFromEnvironment(mapEnvironment(
      {{"OPENAI_API_KEY", "sk-1"}, {"OPENAI_API_BASE", "http://localhost:9000/v1"}}));
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r.snapshot->wildcards.size(), 1u);
  EXPECT_EQ(r.snapshot->wildcards[0].deploymentTemplate.apiBase.toString(),
            "http://localhost:9000/v1");
}

TEST(EnvDefaults, KeylessProvidersNeedTheirBaseVariable) {
  auto none = snapshotFromEnvironment(mapEnvironment({{"HOSTED_VLLM_API_KEY", "vllm-key"}}));
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none.snapshot->wildcards.empty());  // a key alone does not say where vLLM runs

  auto r = snapshotFromEnvironment(mapEnvironment({{"OLLAMA_API_BASE", "http://gpu-box:11434/v1"},
                                                   {"HOSTED_VLLM_API_BASE", "http://vllm:8000/v1"},
                                                   {"HOSTED_VLLM_API_KEY", "vllm-key"}}));
  ASSERT_TRUE(r.ok()) << testing::allDiagnostics(r);
  EXPECT_EQ(r.snapshot->modelNames(),
            (std::vector<std::string>{"ollama/*", "ollama_chat/*", "hosted_vllm/*"}));
  const auto* vllm = findRoute(*r.snapshot, "hosted_vllm");
  ASSERT_NE(vllm, nullptr);
  EXPECT_EQ(vllm->deploymentTemplate.apiKey, "vllm-key");
  EXPECT_EQ(vllm->deploymentTemplate.apiBase.host, "vllm");
  EXPECT_EQ(findRoute(*r.snapshot, "ollama")->deploymentTemplate.apiBase.host, "gpu-box");
}

TEST(EnvDefaults, AzureNeedsItsBase) {
  auto r = snapshotFromEnvironment(mapEnvironment({{"AZURE_API_KEY", "azure-key"}}));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(findRoute(*r.snapshot, "azure"), nullptr);
  EXPECT_TRUE(hasWarning(r, "AZURE_API_BASE", "azure/* is not routed"));

  auto full =
      snapshotFromEnvironment(mapEnvironment({{"AZURE_API_KEY", "azure-key"},
                                              {"AZURE_API_BASE", "https://res.openai.azure.com"},
                                              {"AZURE_API_VERSION", "2024-10-21"}}));
  ASSERT_TRUE(full.ok());
  const auto* azure = findRoute(*full.snapshot, "azure");
  ASSERT_NE(azure, nullptr);
  EXPECT_EQ(azure->deploymentTemplate.format, WireFormat::kAzure);
  EXPECT_EQ(azure->deploymentTemplate.apiVersion, "2024-10-21");
}

TEST(EnvDefaults, BadBaseVariableIsAnError) {
  auto r = snapshotFromEnvironment(
      mapEnvironment({{"OPENAI_API_KEY", "sk-1"}, {"OPENAI_API_BASE", "api.example.com"}}));
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.snapshot, nullptr);
  EXPECT_TRUE(hasError(r, "OPENAI_API_BASE"));
}

TEST(EnvDefaults, MasterKeyFromEnvironment) {
  auto r = snapshotFromEnvironment(mapEnvironment({{"LITELLM_MASTER_KEY", "sk-master-1"}}));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.snapshot->masterKey, "sk-master-1");
}

TEST(EnvDefaults, ProcessEnvironmentReadsGetenv) {
  ::setenv("SWITCHYARD_CONFIG_TEST_VAR", "value-42", 1);
  auto env = processEnvironment();
  EXPECT_EQ(env("SWITCHYARD_CONFIG_TEST_VAR"), "value-42");
  ::unsetenv("SWITCHYARD_CONFIG_TEST_VAR");
  EXPECT_EQ(env("SWITCHYARD_CONFIG_TEST_VAR"), std::nullopt);
}

TEST(MockSnapshot, RoutesEverythingToTheMock) {
  auto base = parseUrl("http://127.0.0.1:18080/v1");
  ASSERT_TRUE(base);
  ServerSettings settings;
  settings.port = 5000;
  settings.defaultTimeout = 20s;
  auto s = snapshotForMock(*base, settings);
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->source, "built-in mock");
  EXPECT_EQ(s->server.port, 5000);
  EXPECT_EQ(s->modelNames(), (std::vector<std::string>{"gpt-4o-mini", "gpt-4o",
                                                       "text-embedding-3-small", "mock/*"}));
  ASSERT_EQ(s->deployments.size(), 3u);
  for (size_t i = 0; i < s->deployments.size(); ++i) {
    const auto& d = *s->deployments[i];
    EXPECT_EQ(d.upstreamModel, d.modelName);
    EXPECT_EQ(d.id, d.modelName + "#" + std::to_string(i));
    EXPECT_EQ(d.provider, "openai");
    EXPECT_EQ(d.format, WireFormat::kOpenAi);
    EXPECT_EQ(d.apiBase.toString(), "http://127.0.0.1:18080/v1");
    EXPECT_EQ(d.apiKey, "mock-key");
    EXPECT_EQ(d.timeout, 20s);
    EXPECT_EQ(s->groups.at(d.modelName), std::vector<size_t>{i});
  }
  ASSERT_EQ(s->wildcards.size(), 1u);
  EXPECT_EQ(s->wildcards[0].prefix, "mock");
  EXPECT_EQ(s->wildcards[0].deploymentTemplate.provider, "openai");
  EXPECT_EQ(s->wildcards[0].deploymentTemplate.apiBase.port, 18080);
  EXPECT_EQ(s->wildcards[0].deploymentTemplate.apiKey, "mock-key");
  EXPECT_EQ(s->wildcards[0].deploymentTemplate.upstreamModel, "");
}

TEST(EnvDefaults, ProviderCredentialsAreReadAtLoadWhereTheConfigHasNone) {
  const auto env = mapEnvironment({{"VERTEXAI_PROJECT", "env-project"},
                                   {"GOOGLE_APPLICATION_CREDENTIALS", "/keys/sa.json"},
                                   {"CO_API_KEY", "co-env-key"},
                                   {"AWS_ACCESS_KEY_ID", "AKIDENV"},
                                   {"AWS_SECRET_ACCESS_KEY", "env-secret"}});
  auto r = loadConfigText(R"(
model_list:
  - model_name: gemini
    litellm_params: {model: vertex_ai/gemini-2.0-flash, vertex_location: europe-west4}
  - model_name: command
    litellm_params: {model: cohere/command-r}
  - model_name: claude
    litellm_params:
      model: bedrock/anthropic.claude-3-haiku
      aws_access_key_id: AKIDCONFIG
      aws_secret_access_key: config-secret
)",
                          env, "test");
  ASSERT_TRUE(r.ok()) << testing::allDiagnostics(r);
  const auto& vertex = *r.snapshot->deployments[0];
  EXPECT_EQ(vertex.providerParams.at("vertex_project"), "env-project");
  EXPECT_EQ(vertex.providerParams.at("vertex_location"), "europe-west4");
  EXPECT_EQ(vertex.providerParams.at("vertex_credentials"), "/keys/sa.json");
  EXPECT_EQ(r.snapshot->deployments[1]->apiKey, "co-env-key");
  // AWS keys come as a pair: the config's, never half from the environment.
  const auto& bedrock = *r.snapshot->deployments[2];
  EXPECT_EQ(bedrock.providerParams.at("aws_access_key_id"), "AKIDCONFIG");
  EXPECT_EQ(bedrock.providerParams.at("aws_secret_access_key"), "config-secret");
  EXPECT_FALSE(bedrock.providerParams.contains("aws_session_token"));
}

}  // namespace
}  // namespace switchyard
