// Loading LiteLLM configs that should work unchanged: values, defaults and inheritance.

#include "config/loader.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cstdio>
#include <fstream>

#include "config_test_util.hpp"

namespace switchyard {
namespace {

using namespace std::chrono_literals;
using testing::hasError;
using testing::hasWarning;
using testing::mapEnvironment;

constexpr std::string_view kRealWorldConfig = R"yaml(
# A typical LiteLLM proxy config: load balancing, azure, env refs, wildcard, router settings.
model_list:
  - model_name: gpt-4o
    litellm_params:
      model: azure/gpt-4o-eu
      api_base: os.environ/AZURE_API_BASE_EU
      api_key: os.environ/AZURE_API_KEY_EU
      api_version: "2024-08-01-preview"
      rpm: 600
      timeout: 30
    model_info:
      id: eu-deployment
      mode: chat
      max_tokens: 128000
      input_cost_per_token: 0.0000025
      supports_vision: true
      base_model: null
  - model_name: gpt-4o
    litellm_params:
      model: openai/gpt-4o
      api_key: os.environ/OPENAI_API_KEY
      tpm: 2000000
      weight: 2
      stream_timeout: 15
  - model_name: llama-3-70b
    litellm_params:
      model: openrouter/meta-llama/llama-3-70b-instruct
      api_key: sk-or-v1-0123456789abcdef
      extra_headers:
        HTTP-Referer: https://example.com
        X-Title: os.environ/APP_TITLE
  - model_name: local
    litellm_params:
      model: ollama/llama3.1
  - model_name: "anthropic/*"
    litellm_params:
      model: "anthropic/*"
      api_key: os.environ/ANTHROPIC_API_KEY

router_settings:
  routing_strategy: usage-based-routing-v2
  num_retries: 2
  timeout: 120
  allowed_fails: 3
  cooldown_time: 30
  fallbacks: [{"gpt-4o": ["llama-3-70b"]}]
  model_group_alias: {"gpt-4": "gpt-4o"}
  redis_host: os.environ/REDIS_HOST
  redis_port: 6379

litellm_settings:
  drop_params: True
  request_timeout: 300
  num_retries: 3

general_settings:
  master_key: sk-1234567890abcdef
)yaml";

Environment realWorldEnv() {
  return mapEnvironment({{"AZURE_API_BASE_EU", "https://eu.openai.azure.com"},
                         {"AZURE_API_KEY_EU", "azure-key-0123456789"},
                         {"OPENAI_API_KEY", "sk-openai-abcdef123456"},
                         {"ANTHROPIC_API_KEY", "sk-ant-0123456789xyz"},
                         {"APP_TITLE", "Switchyard"},
                         {"REDIS_HOST", "redis.internal"}});
}

TEST(ConfigLoader, LoadsARealWorldLiteLlmConfig) {
  auto r = loadConfigText(kRealWorldConfig, realWorldEnv(), "config.yaml");
  ASSERT_TRUE(r.ok()) << testing::allDiagnostics(r);
  const Snapshot& s = *r.snapshot;
  EXPECT_EQ(s.source, "config.yaml");
  ASSERT_EQ(s.deployments.size(), 4u);
  ASSERT_EQ(s.groups.size(), 3u);
  EXPECT_EQ(s.groups.at("gpt-4o"), (std::vector<size_t>{0, 1}));
  EXPECT_EQ(s.groups.at("llama-3-70b"), (std::vector<size_t>{2}));
  EXPECT_EQ(s.groups.at("local"), (std::vector<size_t>{3}));

  const Deployment& azure = *s.deployments[0];
  EXPECT_EQ(azure.id, "gpt-4o#0");
  EXPECT_EQ(azure.modelName, "gpt-4o");
  EXPECT_EQ(azure.provider, "azure");
  EXPECT_EQ(azure.format, WireFormat::kAzure);
  EXPECT_EQ(azure.upstreamModel, "gpt-4o-eu");
  EXPECT_EQ(azure.apiBase.toString(), "https://eu.openai.azure.com");
  EXPECT_EQ(azure.apiKey, "azure-key-0123456789");
  EXPECT_EQ(azure.apiVersion, "2024-08-01-preview");
  EXPECT_EQ(azure.rpm, 600);
  EXPECT_FALSE(azure.tpm.has_value());
  EXPECT_EQ(azure.timeout, 30s);
  EXPECT_EQ(azure.streamTimeout, 30s);  // no stream_timeout anywhere: its own timeout
  EXPECT_EQ(azure.modelInfo.at("id").as_string(), "eu-deployment");
  EXPECT_EQ(azure.modelInfo.at("max_tokens").as_int64(), 128000);
  EXPECT_DOUBLE_EQ(azure.modelInfo.at("input_cost_per_token").as_double(), 0.0000025);
  EXPECT_EQ(azure.modelInfo.at("supports_vision").as_bool(), true);
  EXPECT_TRUE(azure.modelInfo.at("base_model").is_null());

  const Deployment& openai = *s.deployments[1];
  EXPECT_EQ(openai.id, "gpt-4o#1");
  EXPECT_EQ(openai.provider, "openai");
  EXPECT_EQ(openai.format, WireFormat::kOpenAi);
  EXPECT_EQ(openai.upstreamModel, "gpt-4o");
  EXPECT_EQ(openai.apiBase.toString(), "https://api.openai.com/v1");
  EXPECT_EQ(openai.apiKey, "sk-openai-abcdef123456");
  EXPECT_EQ(openai.tpm, 2000000);
  EXPECT_DOUBLE_EQ(openai.weight, 2.0);
  EXPECT_EQ(openai.timeout, 120s);  // router_settings.timeout beats request_timeout
  EXPECT_EQ(openai.streamTimeout, 15s);

  const Deployment& router = *s.deployments[2];
  EXPECT_EQ(router.provider, "openrouter");
  EXPECT_EQ(router.upstreamModel, "meta-llama/llama-3-70b-instruct");
  EXPECT_EQ(router.apiKey, "sk-or-v1-0123456789abcdef");
  EXPECT_EQ(router.apiBase.toString(), "https://openrouter.ai/api/v1");
  EXPECT_EQ(router.extraHeaders.at("HTTP-Referer"), "https://example.com");
  EXPECT_EQ(router.extraHeaders.at("X-Title"), "Switchyard");

  const Deployment& local = *s.deployments[3];
  EXPECT_EQ(local.provider, "ollama");
  EXPECT_EQ(local.upstreamModel, "llama3.1");
  // Ollama's native API (an api_base ending in /v1 would be its OpenAI-compatible one).
  EXPECT_EQ(local.apiBase.toString(), "http://localhost:11434");
  EXPECT_EQ(local.format, WireFormat::kOllama);
  EXPECT_EQ(local.apiKey, "");

  ASSERT_EQ(s.wildcards.size(), 1u);
  EXPECT_EQ(s.wildcards[0].prefix, "anthropic");
  EXPECT_EQ(s.wildcards[0].deploymentTemplate.provider, "anthropic");
  EXPECT_EQ(s.wildcards[0].deploymentTemplate.upstreamModel, "");
  EXPECT_EQ(s.wildcards[0].deploymentTemplate.apiKey, "sk-ant-0123456789xyz");
  EXPECT_EQ(s.wildcards[0].deploymentTemplate.id, "anthropic/*#4");

  // The model_group_alias "gpt-4" is listed too, after the groups.
  EXPECT_EQ(s.modelNames(),
            (std::vector<std::string>{"gpt-4o", "llama-3-70b", "local", "gpt-4", "anthropic/*"}));
  EXPECT_EQ(s.router.groupFor("gpt-4"), "gpt-4o");

  EXPECT_EQ(s.masterKey, "sk-1234567890abcdef");
  EXPECT_TRUE(s.server.dropParams);
  EXPECT_EQ(s.server.defaultTimeout, 120s);
  EXPECT_FALSE(s.server.defaultStreamTimeout.has_value());

  EXPECT_EQ(s.routerSettings.at("routing_strategy").as_string(), "usage-based-routing-v2");
  EXPECT_EQ(s.routerSettings.at("num_retries").as_int64(), 2);
  EXPECT_EQ(s.routerSettings.at("allowed_fails").as_int64(), 3);
  EXPECT_DOUBLE_EQ(s.routerSettings.at("cooldown_time").as_double(), 30.0);
  EXPECT_EQ(s.routerSettings.at("redis_host").as_string(), "redis.internal");
  EXPECT_EQ(s.routerSettings.at("redis_port").as_int64(), 6379);
  EXPECT_EQ(boost::json::serialize(s.routerSettings.at("fallbacks")),
            R"([{"gpt-4o":["llama-3-70b"]}])");
  EXPECT_EQ(s.routerSettings.at("model_group_alias").at("gpt-4").as_string(), "gpt-4o");
  EXPECT_EQ(s.litellmSettings.at("drop_params").as_bool(), true);
  EXPECT_EQ(s.litellmSettings.at("num_retries").as_int64(), 3);
  EXPECT_DOUBLE_EQ(s.litellmSettings.at("request_timeout").as_double(), 300.0);
  // The one thing worth telling the operator: the local server needs no key, so no warnings.
  EXPECT_TRUE(r.diagnostics.empty()) << testing::allDiagnostics(r);
}

TEST(ConfigLoader, SplitsTheProviderOnTheFirstSlash) {
  auto r = loadConfigText(R"yaml(
model_list:
  - model_name: a
    litellm_params: {model: "openrouter/meta-llama/llama-3-70b", api_key: k}
  - model_name: b
    litellm_params: {model: gpt-4o-mini, api_key: k}
  - model_name: c
    litellm_params: {model: "together_ai/Qwen/Qwen2.5-72B-Instruct-Turbo", api_key: k}
  - model_name: d
    litellm_params: {model: "my-org/my-model", custom_llm_provider: hosted_vllm,
                     api_base: "http://vllm:8000/v1"}
  - model_name: e
    litellm_params: {model: "groq/llama-3.1-8b-instant", custom_llm_provider: groq, api_key: k}
)yaml",
                          mapEnvironment({}), "t");
  ASSERT_TRUE(r.ok()) << testing::allDiagnostics(r);
  const auto& d = r.snapshot->deployments;
  ASSERT_EQ(d.size(), 5u);
  EXPECT_EQ(d[0]->provider, "openrouter");
  EXPECT_EQ(d[0]->upstreamModel, "meta-llama/llama-3-70b");
  EXPECT_EQ(d[1]->provider, "openai");  // bare names go to OpenAI, as in LiteLLM
  EXPECT_EQ(d[1]->upstreamModel, "gpt-4o-mini");
  EXPECT_EQ(d[2]->provider, "together_ai");
  EXPECT_EQ(d[2]->upstreamModel, "Qwen/Qwen2.5-72B-Instruct-Turbo");
  EXPECT_EQ(d[3]->provider, "hosted_vllm");
  EXPECT_EQ(d[3]->upstreamModel, "my-org/my-model");
  EXPECT_EQ(d[3]->apiBase.toString(), "http://vllm:8000/v1");
  EXPECT_EQ(d[4]->provider, "groq");
  EXPECT_EQ(d[4]->upstreamModel, "llama-3.1-8b-instant");
}

TEST(ConfigLoader, TimeoutsInheritFromRouterSettings) {
  auto r = loadConfigText(R"yaml(
router_settings:
  timeout: 45
  stream_timeout: "7.5"
model_list:
  - model_name: inherits
    litellm_params: {model: openai/gpt-4o, api_key: k}
  - model_name: own
    litellm_params: {model: openai/gpt-4o, api_key: k, timeout: "12", stream_timeout: 3}
  - model_name: own-timeout-only
    litellm_params: {model: openai/gpt-4o, api_key: k, timeout: 0.25}
)yaml",
                          mapEnvironment({}), "t");
  ASSERT_TRUE(r.ok()) << testing::allDiagnostics(r);
  const auto& d = r.snapshot->deployments;
  EXPECT_EQ(r.snapshot->server.defaultTimeout, 45s);
  EXPECT_EQ(r.snapshot->server.defaultStreamTimeout, 7500ms);
  EXPECT_EQ(d[0]->timeout, 45s);
  EXPECT_EQ(d[0]->streamTimeout, 7500ms);
  EXPECT_EQ(d[1]->timeout, 12s);
  EXPECT_EQ(d[1]->streamTimeout, 3s);
  EXPECT_EQ(d[2]->timeout, 250ms);
  EXPECT_EQ(d[2]->streamTimeout, 7500ms);  // the router's stream default beats own timeout
}

TEST(ConfigLoader, RequestTimeoutIsTheDefaultWithoutRouterTimeout) {
  // Settings after model_list still apply: sections are read in dependency order.
  auto r = loadConfigText(R"yaml(
model_list:
  - model_name: m
    litellm_params: {model: openai/gpt-4o, api_key: k}
litellm_settings:
  request_timeout: 90
)yaml",
                          mapEnvironment({}), "t");
  ASSERT_TRUE(r.ok()) << testing::allDiagnostics(r);
  EXPECT_EQ(r.snapshot->deployments[0]->timeout, 90s);
  EXPECT_EQ(r.snapshot->deployments[0]->streamTimeout, 90s);
}

TEST(ConfigLoader, DefaultTimeoutsWhenNothingIsConfigured) {
  auto r = loadConfigText("model_list:\n  - model_name: m\n    litellm_params: {model: gpt-4o}\n",
                          mapEnvironment({{"OPENAI_API_KEY", "sk-env-key-123456"}}), "t");
  ASSERT_TRUE(r.ok()) << testing::allDiagnostics(r);
  EXPECT_EQ(r.snapshot->deployments[0]->timeout, 600s);
  EXPECT_EQ(r.snapshot->deployments[0]->streamTimeout, 600s);
  EXPECT_EQ(r.snapshot->deployments[0]->apiKey, "sk-env-key-123456");  // provider's key variable
}

TEST(ConfigLoader, EnvironmentVariablesSectionOverridesTheProcessEnvironment) {
  auto r = loadConfigText(
      R"yaml(
environment_variables:
  OPENAI_API_KEY: sk-from-config-file
  CUSTOM_BASE: "http://proxy.local:8080/v1"
  PORT_NUMBER: 8123
model_list:
  - model_name: m
    litellm_params: {model: openai/gpt-4o, api_base: os.environ/CUSTOM_BASE}
switchyard_settings:
  port: os.environ/PORT_NUMBER
)yaml",
      mapEnvironment({{"OPENAI_API_KEY", "sk-from-process"}, {"CUSTOM_BASE", "http://ignored"}}),
      "t");
  ASSERT_TRUE(r.ok()) << testing::allDiagnostics(r);
  const auto& d = *r.snapshot->deployments[0];
  EXPECT_EQ(d.apiKey, "sk-from-config-file");
  EXPECT_EQ(d.apiBase.host, "proxy.local");
  EXPECT_EQ(d.apiBase.port, 8080);
  EXPECT_EQ(d.apiBase.path, "/v1");
  EXPECT_EQ(r.snapshot->server.port, 8123);
}

TEST(ConfigLoader, ApiBaseFromProviderVariableThenDefault) {
  auto env = mapEnvironment({{"OPENAI_API_BASE", "https://gateway.example.com/openai/"},
                             {"AZURE_API_BASE", "https://my.openai.azure.com"},
                             {"AZURE_API_KEY", "azure-key-abcdef123"},
                             {"AZURE_API_VERSION", "2024-06-01"}});
  auto r = loadConfigText(R"yaml(
model_list:
  - model_name: o
    litellm_params: {model: openai/gpt-4o, api_key: k}
  - model_name: a
    litellm_params: {model: azure/my-deployment}
  - model_name: b
    litellm_params: {model: azure/other, base_url: "https://other.openai.azure.com",
                     api_version: "2025-01-01"}
  - model_name: g
    litellm_params: {model: groq/llama3, api_key: k}
)yaml",
                          env, "t");
  ASSERT_TRUE(r.ok()) << testing::allDiagnostics(r);
  const auto& d = r.snapshot->deployments;
  EXPECT_EQ(d[0]->apiBase.toString(), "https://gateway.example.com/openai");
  EXPECT_EQ(d[1]->apiBase.toString(), "https://my.openai.azure.com");
  EXPECT_EQ(d[1]->apiKey, "azure-key-abcdef123");
  EXPECT_EQ(d[1]->apiVersion, "2024-06-01");
  EXPECT_EQ(d[2]->apiBase.toString(), "https://other.openai.azure.com");  // base_url alias
  EXPECT_EQ(d[2]->apiVersion, "2025-01-01");
  EXPECT_EQ(d[3]->apiBase.toString(), "https://api.groq.com/openai/v1");
}

TEST(ConfigLoader, RpmAndTpmAtTheEntryLevel) {
  auto r = loadConfigText(R"yaml(
model_list:
  - model_name: m
    rpm: 10
    tpm: 1000
    litellm_params: {model: openai/gpt-4o, api_key: k, rpm: 20}
)yaml",
                          mapEnvironment({}), "t");
  ASSERT_TRUE(r.ok()) << testing::allDiagnostics(r);
  EXPECT_EQ(r.snapshot->deployments[0]->rpm, 20);  // litellm_params wins
  EXPECT_EQ(r.snapshot->deployments[0]->tpm, 1000);
}

TEST(ConfigLoader, WildcardForms) {
  auto r = loadConfigText(R"yaml(
model_list:
  - model_name: "*"
    litellm_params: {model: "openai/*", api_key: k-catch-all}
  - model_name: "team-a/*"
    litellm_params: {model: "groq/*", api_key: k-groq}
)yaml",
                          mapEnvironment({}), "t");
  ASSERT_TRUE(r.ok()) << testing::allDiagnostics(r);
  const auto& s = *r.snapshot;
  EXPECT_TRUE(s.deployments.empty());
  ASSERT_EQ(s.wildcards.size(), 2u);
  EXPECT_EQ(s.wildcards[0].prefix, "");
  EXPECT_EQ(s.wildcards[0].deploymentTemplate.provider, "openai");
  EXPECT_EQ(s.wildcards[1].prefix, "team-a");
  EXPECT_EQ(s.wildcards[1].deploymentTemplate.provider, "groq");
  EXPECT_EQ(s.wildcards[1].deploymentTemplate.apiKey, "k-groq");
  EXPECT_EQ(s.modelNames(), (std::vector<std::string>{"*", "team-a/*"}));
}

TEST(ConfigLoader, StarModelExpandsToProvidersInTheEnvironment) {
  auto r = loadConfigText(
      R"yaml(
model_list:
  - model_name: "*"
    litellm_params: {model: "*"}
)yaml",
      mapEnvironment({{"OPENAI_API_KEY", "sk-a-123456789"}, {"GROQ_API_KEY", "gsk-123456789"}}),
      "t");
  ASSERT_TRUE(r.ok()) << testing::allDiagnostics(r);
  const auto& w = r.snapshot->wildcards;
  ASSERT_EQ(w.size(), 2u);
  EXPECT_EQ(w[0].prefix, "openai");
  EXPECT_EQ(w[0].deploymentTemplate.apiKey, "sk-a-123456789");
  EXPECT_EQ(w[0].deploymentTemplate.id, "openai/*#0");
  EXPECT_EQ(w[1].prefix, "groq");
  EXPECT_EQ(w[1].deploymentTemplate.apiKey, "gsk-123456789");
}

TEST(ConfigLoader, GeneralSettings) {
  auto r = loadConfigText(R"yaml(
general_settings:
  master_key: os.environ/MASTER
  database_url: os.environ/DATABASE_URL
  max_request_size_mb: 2.5
model_list: []
)yaml",
                          mapEnvironment({{"MASTER", "sk-master-0123456789"},
                                          {"DATABASE_URL", "postgresql://u:pw@db/litellm"}}),
                          "t");
  ASSERT_TRUE(r.ok()) << testing::allDiagnostics(r);
  EXPECT_EQ(r.snapshot->masterKey, "sk-master-0123456789");
  EXPECT_EQ(r.snapshot->databaseUrl, "postgresql://u:pw@db/litellm");
  EXPECT_EQ(r.snapshot->server.maxRequestBodyBytes, 2621440u);
  EXPECT_FALSE(hasWarning(r, "general_settings.database_url", ""));
  EXPECT_TRUE(hasWarning(r, "model_list", "no models"));
}

TEST(ConfigLoader, MasterKeyFromLiteLlmVariable) {
  auto r = loadConfigText("model_list: []\n",
                          mapEnvironment({{"LITELLM_MASTER_KEY", "sk-env-master-999"}}), "t");
  ASSERT_TRUE(r.ok()) << testing::allDiagnostics(r);
  EXPECT_EQ(r.snapshot->masterKey, "sk-env-master-999");
}

TEST(ConfigLoader, SwitchyardSettings) {
  auto r = loadConfigText(R"yaml(
switchyard_settings:
  host: 127.0.0.1
  port: 8080
  workers: 4
  max_request_body_mb: 1
  header_timeout: 5
  body_timeout: 30.5
  keepalive_timeout: 0
  drain_timeout: 10
general_settings:
  max_request_size_mb: 50  # switchyard_settings wins, being specific to this server
model_list: []
)yaml",
                          mapEnvironment({}), "t");
  ASSERT_TRUE(r.ok()) << testing::allDiagnostics(r);
  const auto& s = r.snapshot->server;
  EXPECT_EQ(s.host, "127.0.0.1");
  EXPECT_EQ(s.port, 8080);
  EXPECT_EQ(s.workers, 4u);
  EXPECT_EQ(s.maxRequestBodyBytes, 1048576u);
  EXPECT_EQ(s.headerTimeout, 5s);
  EXPECT_EQ(s.bodyTimeout, 30500ms);
  EXPECT_EQ(s.keepAliveTimeout, 0ms);
  EXPECT_EQ(s.drainTimeout, 10s);
}

TEST(ConfigLoader, LitellmSettingsFallbacksMoveToRouterSettings) {
  auto r = loadConfigText(R"yaml(
model_list:
  - model_name: a
    litellm_params: {model: openai/gpt-4o, api_key: k}
  - model_name: b
    litellm_params: {model: openai/gpt-4o-mini, api_key: k}
litellm_settings:
  context_window_fallbacks: [{"a": ["b"]}]
  default_fallbacks: ["b"]
)yaml",
                          mapEnvironment({}), "t");
  ASSERT_TRUE(r.ok()) << testing::allDiagnostics(r);
  EXPECT_EQ(boost::json::serialize(r.snapshot->routerSettings.at("context_window_fallbacks")),
            R"([{"a":["b"]}])");
  EXPECT_EQ(boost::json::serialize(r.snapshot->routerSettings.at("default_fallbacks")), R"(["b"])");
  EXPECT_TRUE(r.diagnostics.empty()) << testing::allDiagnostics(r);
}

TEST(ConfigLoader, MergeKeysAndAnchorsWorkAsInPyYaml) {
  auto r = loadConfigText(R"yaml(
model_list:
  - model_name: a
    litellm_params: &azure_defaults
      model: azure/dep-a
      api_base: https://a.openai.azure.com
      api_key: azure-key-1
      api_version: "2024-06-01"
      timeout: 10
  - model_name: b
    litellm_params:
      <<: *azure_defaults
      model: azure/dep-b
  - model_name: c
    litellm_params:
      <<: [{model: openai/gpt-4o, api_key: first, rpm: 1}, {api_key: second, tpm: 2}]
      rpm: 3
)yaml",
                          mapEnvironment({}), "t");
  ASSERT_TRUE(r.ok()) << testing::allDiagnostics(r);
  const auto& d = r.snapshot->deployments;
  ASSERT_EQ(d.size(), 3u);
  EXPECT_EQ(d[1]->upstreamModel, "dep-b");  // written keys win over merged ones
  EXPECT_EQ(d[1]->apiBase.host, "a.openai.azure.com");
  EXPECT_EQ(d[1]->apiKey, "azure-key-1");
  EXPECT_EQ(d[1]->apiVersion, "2024-06-01");
  EXPECT_EQ(d[1]->timeout, 10s);
  EXPECT_EQ(d[2]->apiKey, "first");  // earlier merged mappings win over later ones
  EXPECT_EQ(d[2]->rpm, 3);
  EXPECT_EQ(d[2]->tpm, 2);
  EXPECT_TRUE(r.diagnostics.empty()) << testing::allDiagnostics(r);
}

TEST(ConfigLoader, LoadsFromAFile) {
  const std::string path = ::testing::TempDir() + "switchyard_config_test.yaml";
  {
    std::ofstream out(path);
    out << "model_list:\n  - model_name: m\n    litellm_params: {model: openai/gpt-4o, "
           "api_key: k}\n";
  }
  auto r = loadConfigFile(path, mapEnvironment({}));
  std::remove(path.c_str());
  ASSERT_TRUE(r.ok()) << testing::allDiagnostics(r);
  EXPECT_EQ(r.snapshot->source, path);
  EXPECT_EQ(r.snapshot->deployments[0]->upstreamModel, "gpt-4o");
}

TEST(ConfigLoader, MissingFileIsAnError) {
  auto r = loadConfigFile("/nonexistent/dir/config.yaml", mapEnvironment({}));
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.snapshot, nullptr);
  EXPECT_TRUE(hasError(r, "", "cannot read '/nonexistent/dir/config.yaml'"));
}

}  // namespace
}  // namespace switchyard
