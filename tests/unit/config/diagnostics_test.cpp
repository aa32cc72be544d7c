// Every problem is reported with its YAML path and the right severity; errors yield no snapshot.

#include <gtest/gtest.h>

#include "config/loader.hpp"
#include "config_test_util.hpp"

namespace switchyard {
namespace {

using testing::countErrors;
using testing::hasError;
using testing::hasWarning;
using testing::mapEnvironment;

LoadResult load(std::string_view yaml, std::map<std::string, std::string, std::less<>> env = {}) {
  return loadConfigText(yaml, mapEnvironment(std::move(env)), "test.yaml");
}

TEST(ConfigDiagnostics, SyntaxErrorHasLineAndColumn) {
  auto r = load("model_list:\n  - model_name: a\n    litellm_params: [unclosed\n");
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.snapshot, nullptr);
  ASSERT_EQ(r.diagnostics.size(), 1u);
  EXPECT_EQ(r.diagnostics[0].severity, ConfigDiagnostic::Severity::kError);
  EXPECT_NE(r.diagnostics[0].message.find("invalid YAML at line 4, column 1"), std::string::npos)
      << r.diagnostics[0].message;
}

TEST(ConfigDiagnostics, EmptyDocumentIsAnError) {
  for (std::string_view text : {"", "# only a comment\n", "~\n"}) {
    auto r = load(text);
    EXPECT_FALSE(r.ok()) << text;
    EXPECT_TRUE(hasError(r, "", "empty")) << text;
  }
}

TEST(ConfigDiagnostics, TopLevelMustBeAMapping) {
  auto r = load("- model_name: a\n");
  EXPECT_FALSE(r.ok());
  EXPECT_TRUE(hasError(r, "", "mapping at the top level"));
}

TEST(ConfigDiagnostics, ModelListMustBeASequence) {
  auto r = load("model_list:\n  model_name: a\n");
  EXPECT_FALSE(r.ok());
  EXPECT_TRUE(hasError(r, "model_list", "expected a list"));
}

TEST(ConfigDiagnostics, EntryMustBeAMapping) {
  auto r = load("model_list:\n  - gpt-4o\n");
  EXPECT_TRUE(hasError(r, "model_list[0]", "expected a mapping"));
}

TEST(ConfigDiagnostics, MissingModelName) {
  auto r = load(R"yaml(
model_list:
  - model_name: ok
    litellm_params: {model: openai/gpt-4o, api_key: k}
  - litellm_params: {model: openai/gpt-4o, api_key: k}
)yaml");
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.snapshot, nullptr);
  EXPECT_TRUE(hasError(r, "model_list[1].model_name", "required"));
  EXPECT_EQ(countErrors(r), 1u);
}

TEST(ConfigDiagnostics, EmptyModelName) {
  auto r = load("model_list:\n  - model_name: ''\n    litellm_params: {model: gpt-4o}\n",
                {{"OPENAI_API_KEY", "k"}});
  EXPECT_TRUE(hasError(r, "model_list[0].model_name", "must not be empty"));
}

TEST(ConfigDiagnostics, MissingLitellmParamsAndModel) {
  auto r = load(R"yaml(
model_list:
  - model_name: a
  - model_name: b
    litellm_params:
      api_key: k
  - model_name: c
    litellm_params: "openai/gpt-4o"
)yaml");
  EXPECT_TRUE(hasError(r, "model_list[0].litellm_params", "required"));
  EXPECT_TRUE(hasError(r, "model_list[1].litellm_params.model", "required"));
  EXPECT_TRUE(hasError(r, "model_list[2].litellm_params", "expected a mapping"));
  EXPECT_EQ(countErrors(r), 3u);
}

// A deployment LiteLLM would load and fail only at request time is disabled with a warning; the
// rest of the config serves, and its name answers with the reason (routing/router.cpp).
constexpr const char* kServing =
    "  - model_name: ok\n    litellm_params: {model: openai/gpt-4o, api_key: k}\n";

void expectDisabled(const std::string& entry, std::string_view path, std::string_view text) {
  auto r = load("model_list:\n" + entry + kServing);
  ASSERT_TRUE(r.ok()) << testing::allDiagnostics(r);
  EXPECT_TRUE(hasWarning(r, path, text)) << testing::allDiagnostics(r);
  EXPECT_TRUE(hasWarning(r, path, "this deployment is disabled"));
  ASSERT_EQ(r.snapshot->disabledModels.count("a"), 1u);
  EXPECT_TRUE(r.snapshot->disabledModels.at("a").starts_with(std::string(path) + ": "));
  EXPECT_FALSE(r.snapshot->groups.contains("a"));
  EXPECT_TRUE(r.snapshot->groups.contains("ok"));
  makeStrict(r);  // --strict
  EXPECT_FALSE(r.ok());
  EXPECT_FALSE(r.snapshot);
  EXPECT_TRUE(hasError(r, path, text));

  // Alone it leaves nothing to serve: still an error.
  auto alone = load("model_list:\n" + entry);
  EXPECT_FALSE(alone.ok());
  EXPECT_TRUE(hasError(alone, "model_list", "no usable deployment"));
}

TEST(ConfigDiagnostics, UnknownProviderPrefixDisablesTheDeployment) {
  expectDisabled("  - model_name: a\n    litellm_params: {model: opnai/gpt-4o}\n",
                 "model_list[0].litellm_params.model", "unknown provider 'opnai'");
  expectDisabled("  - model_name: a\n    litellm_params: {model: replicate/meta/llama-3}\n",
                 "model_list[0].litellm_params.model", "unknown provider 'replicate'");
}

TEST(ConfigDiagnostics, UnknownCustomProvider) {
  expectDisabled("  - model_name: a\n    litellm_params: {model: m, custom_llm_provider: x}\n",
                 "model_list[0].litellm_params.custom_llm_provider", "unknown provider 'x'");
}

TEST(ConfigDiagnostics, ProviderPrefixWithoutModel) {
  expectDisabled("  - model_name: a\n    litellm_params: {model: 'openai/'}\n",
                 "model_list[0].litellm_params.model", "no model name after");
}

TEST(ConfigDiagnostics, AzureWithoutApiBase) {
  expectDisabled(
      "  - model_name: a\n    litellm_params: {model: azure/dep, api_key: k, api_version: "
      "'2024-06-01'}\n",
      "model_list[0].litellm_params.api_base", "AZURE_API_BASE");
}

TEST(ConfigDiagnostics, HostedVllmWithoutApiBase) {
  expectDisabled("  - model_name: a\n    litellm_params: {model: hosted_vllm/m}\n",
                 "model_list[0].litellm_params.api_base", "no default endpoint");
}

TEST(ConfigDiagnostics, InvalidApiBase) {
  auto r = load(R"yaml(
model_list:
  - model_name: a
    litellm_params: {model: openai/gpt-4o, api_key: k, api_base: "ftp://host/v1"}
  - model_name: b
    litellm_params: {model: openai/gpt-4o, api_key: k, base_url: "not a url"}
)yaml");
  EXPECT_TRUE(hasError(r, "model_list[0].litellm_params.api_base", "http://"));
  EXPECT_TRUE(hasError(r, "model_list[1].litellm_params.base_url", ""));
}

TEST(ConfigDiagnostics, InvalidApiBaseFromProviderVariable) {
  auto r = load("model_list:\n  - model_name: a\n    litellm_params: {model: openai/gpt-4o}\n",
                {{"OPENAI_API_KEY", "k"}, {"OPENAI_API_BASE", "localhost:8080"}});
  EXPECT_TRUE(
      hasError(r, "model_list[0].litellm_params.api_base", "environment variable OPENAI_API_BASE"));
}

TEST(ConfigDiagnostics, UnsetEnvironmentReferences) {
  auto r = load(R"yaml(
general_settings:
  master_key: os.environ/MISSING_MASTER
model_list:
  - model_name: a
    litellm_params:
      model: openai/gpt-4o
      api_key: os.environ/MISSING_KEY
      api_base: os.environ/MISSING_BASE
)yaml");
  EXPECT_FALSE(r.ok());
  EXPECT_TRUE(hasError(r, "general_settings.master_key", "MISSING_MASTER"));
  EXPECT_TRUE(hasError(r, "model_list[0].litellm_params.api_key", "MISSING_KEY"));
  EXPECT_TRUE(hasError(r, "model_list[0].litellm_params.api_base", "MISSING_BASE"));
  EXPECT_EQ(countErrors(r), 3u);
}

TEST(ConfigDiagnostics, EmptyEnvironmentValueCountsAsUnset) {
  auto r = load(
      "model_list:\n  - model_name: a\n    litellm_params: {model: openai/gpt-4o, "
      "api_key: os.environ/EMPTY}\n",
      {{"EMPTY", ""}});
  EXPECT_TRUE(hasError(r, "model_list[0].litellm_params.api_key", "EMPTY"));
}

TEST(ConfigDiagnostics, MissingKeyIsOnlyAWarning) {
  auto r = load("model_list:\n  - model_name: a\n    litellm_params: {model: groq/llama3}\n");
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(hasWarning(r, "model_list[0].litellm_params.api_key", "GROQ_API_KEY"));
  EXPECT_EQ(r.snapshot->deployments[0]->apiKey, "");
}

TEST(ConfigDiagnostics, WrongTypesAndNegativeNumbers) {
  auto r = load(R"yaml(
model_list:
  - model_name: a
    litellm_params:
      model: openai/gpt-4o
      api_key: k
      timeout: "abc"
      stream_timeout: -5
      rpm: 1.5
      tpm: [1]
      weight: -1
      extra_headers: "X-A: b"
router_settings:
  timeout: 0
  num_retries: many
  routing_strategy: fastest
  fallbacks: {"a": "b"}
  redis_port: 70000
litellm_settings:
  drop_params: sometimes
switchyard_settings:
  port: 0
  workers: -2
  header_timeout: .nan
)yaml");
  EXPECT_FALSE(r.ok());
  const std::string p = "model_list[0].litellm_params.";
  EXPECT_TRUE(hasError(r, p + "timeout", "expected a number, found 'abc'"));
  EXPECT_TRUE(hasError(r, p + "stream_timeout", "must not be negative"));
  EXPECT_TRUE(hasError(r, p + "rpm", "whole number"));
  EXPECT_TRUE(hasError(r, p + "tpm", "expected a number, found a list"));
  EXPECT_TRUE(hasError(r, p + "weight", "must not be negative"));
  EXPECT_TRUE(hasError(r, p + "extra_headers", "expected a mapping"));
  EXPECT_TRUE(hasError(r, "router_settings.timeout", "greater than 0"));
  EXPECT_TRUE(hasError(r, "router_settings.num_retries", "expected a number"));
  EXPECT_TRUE(hasError(r, "router_settings.routing_strategy", "unknown routing strategy"));
  EXPECT_TRUE(hasError(r, "router_settings.fallbacks", "expected a list"));
  EXPECT_TRUE(hasError(r, "router_settings.redis_port", "between 1 and 65535"));
  EXPECT_TRUE(hasError(r, "litellm_settings.drop_params", "true or false"));
  EXPECT_TRUE(hasError(r, "switchyard_settings.port", "between 1 and 65535"));
  EXPECT_TRUE(hasError(r, "switchyard_settings.workers", "must not be negative"));
  EXPECT_TRUE(hasError(r, "switchyard_settings.header_timeout", "finite"));
  EXPECT_EQ(countErrors(r), 15u) << testing::allDiagnostics(r);
}

TEST(ConfigDiagnostics, SectionsMustBeMappings) {
  auto r = load(
      "router_settings: [1]\nlitellm_settings: x\ngeneral_settings: 3\n"
      "switchyard_settings: [a]\nenvironment_variables: [A]\nmodel_list: []\n");
  EXPECT_TRUE(hasError(r, "router_settings", "mapping"));
  EXPECT_TRUE(hasError(r, "litellm_settings", "mapping"));
  EXPECT_TRUE(hasError(r, "general_settings", "mapping"));
  EXPECT_TRUE(hasError(r, "switchyard_settings", "mapping"));
  EXPECT_TRUE(hasError(r, "environment_variables", "mapping"));
}

TEST(ConfigDiagnostics, UnknownKeysAreWarnedWithTheirPath) {
  auto r = load(R"yaml(
model_list:
  - model_name: a
    litellm_parms: {}
    litellm_params: {model: openai/gpt-4o, api_key: k, api_bsae: "http://x", temperature: 0.2}
router_settings:
  routing_stratgy: simple-shuffle
  routing_strategy_args: {ttl: 10}
litellm_settings:
  drop_param: true
  success_callback: ["langfuse"]
  cache: true
general_settings:
  master_kye: sk-1234
  alerting: ["slack"]
switchyard_settings:
  prot: 4000
modle_list: []
guardrails: []
credential_list: []
)yaml");
  ASSERT_TRUE(r.ok()) << testing::allDiagnostics(r);
  EXPECT_TRUE(hasWarning(r, "model_list[0].litellm_parms", "unknown key"));
  EXPECT_TRUE(hasWarning(r, "model_list[0].litellm_params.api_bsae", "unknown key"));
  EXPECT_TRUE(hasWarning(r, "model_list[0].litellm_params.temperature", "not supported yet"));
  EXPECT_TRUE(hasWarning(r, "router_settings.routing_stratgy", "unknown key"));
  EXPECT_TRUE(hasWarning(r, "router_settings.routing_strategy_args", "not supported yet"));
  EXPECT_TRUE(hasWarning(r, "litellm_settings.drop_param", "unknown key"));
  EXPECT_TRUE(hasWarning(r, "litellm_settings.success_callback", "not supported yet"));
  EXPECT_TRUE(hasWarning(r, "general_settings.master_kye", "unknown key"));
  EXPECT_TRUE(hasWarning(r, "general_settings.alerting", "not supported yet"));
  EXPECT_TRUE(hasWarning(r, "switchyard_settings.prot", "unknown key"));
  EXPECT_TRUE(hasWarning(r, "modle_list", "unknown key"));
  EXPECT_TRUE(hasWarning(r, "credential_list", "recognised LiteLLM setting"));
  // Supported now (the cache and the guardrails): no warning.
  EXPECT_FALSE(hasWarning(r, "litellm_settings.cache", ""));
  EXPECT_FALSE(hasWarning(r, "guardrails", ""));
  EXPECT_FALSE(r.snapshot->server.dropParams);
  EXPECT_EQ(r.snapshot->masterKey, "");
}

TEST(ConfigDiagnostics, IgnoredDeploymentParamsAreWarnings) {
  auto r = load(R"yaml(
model_list:
  - model_name: a
    litellm_params: {model: openai/gpt-4o, api_key: k, organization: org-1, max_retries: 3,
                     num_retries: 2}
)yaml");
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(hasWarning(r, "model_list[0].litellm_params.organization", "ignored"));
  EXPECT_TRUE(hasWarning(r, "model_list[0].litellm_params.max_retries", "router"));
  EXPECT_TRUE(hasWarning(r, "model_list[0].litellm_params.num_retries", "router"));
}

TEST(ConfigDiagnostics, IncludeIsAnError) {
  auto r = load("include: [models.yaml]\nmodel_list: []\n");
  EXPECT_FALSE(r.ok());
  EXPECT_TRUE(hasError(r, "include", "not supported"));
}

TEST(ConfigDiagnostics, MasterKeyWithoutSkPrefixWarns) {
  auto r = load("general_settings: {master_key: my-secret}\nmodel_list: []\n");
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(hasWarning(r, "general_settings.master_key", "sk-"));
  EXPECT_EQ(r.snapshot->masterKey, "my-secret");
}

TEST(ConfigDiagnostics, DuplicateKeysWarnAndTheLastWins) {
  auto r = load(R"yaml(
model_list:
  - model_name: a
    litellm_params:
      model: openai/gpt-4o
      model: openai/gpt-4o-mini
      api_key: k
)yaml");
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(hasWarning(r, "model_list[0].litellm_params.model", "duplicate key"));
  EXPECT_EQ(r.snapshot->deployments[0]->upstreamModel, "gpt-4o-mini");
}

TEST(ConfigDiagnostics, WildcardMismatches) {
  auto r = load(R"yaml(
model_list:
  - model_name: "openai/*"
    litellm_params: {model: openai/gpt-4o, api_key: k}
  - model_name: gpt-4o
    litellm_params: {model: "openai/*", api_key: k}
  - model_name: "gpt-*"
    litellm_params: {model: "openai/*", api_key: k}
  - model_name: "x"
    litellm_params: {model: "*"}
  - model_name: "y"
    litellm_params: {model: "openai/gpt-*", api_key: k}
)yaml");
  EXPECT_TRUE(hasError(r, "model_list[0].litellm_params.model", "wildcard model_name needs"));
  EXPECT_TRUE(hasError(r, "model_list[1].model_name", "is a wildcard"));
  EXPECT_TRUE(hasError(r, "model_list[2].model_name", "unsupported wildcard"));
  EXPECT_TRUE(hasError(r, "model_list[3].litellm_params.model", "needs model_name"));
  // A pattern in the model string only disables that deployment.
  EXPECT_TRUE(hasWarning(r, "model_list[4].litellm_params.model", "unsupported wildcard"));
  // ... and since every other entry is an error, nothing is left to serve.
  EXPECT_TRUE(hasError(r, "model_list", "no usable deployment"));
  EXPECT_EQ(countErrors(r), 5u) << testing::allDiagnostics(r);
}

TEST(ConfigDiagnostics, FallbacksToUnknownGroupsWarn) {
  auto r = load(R"yaml(
model_list:
  - model_name: a
    litellm_params: {model: openai/gpt-4o, api_key: k}
  - model_name: "groq/*"
    litellm_params: {model: "groq/*", api_key: k}
router_settings:
  fallbacks: [{"a": ["b", "groq/llama3"]}, {"c": "a"}]
  model_group_alias: {"gpt-4": "missing", "gpt-4o": {model: a, hidden: true}}
)yaml");
  ASSERT_TRUE(r.ok()) << testing::allDiagnostics(r);
  EXPECT_TRUE(hasWarning(r, "router_settings.fallbacks[0].a[0]", "'b' is not a model group"));
  EXPECT_TRUE(hasWarning(r, "router_settings.fallbacks[1].c", "'c' is not a model group"));
  EXPECT_TRUE(hasWarning(r, "router_settings.model_group_alias.gpt-4", "'missing'"));
  EXPECT_EQ(r.diagnostics.size(), 3u) << testing::allDiagnostics(r);
}

TEST(ConfigDiagnostics, ModelInfoMustBeAMapping) {
  auto r = load(
      "model_list:\n  - model_name: a\n    litellm_params: {model: gpt-4o, api_key: "
      "k}\n    model_info: [1, 2]\n");
  EXPECT_TRUE(hasError(r, "model_list[0].model_info", "expected a mapping"));
}

TEST(ConfigDiagnostics, ErrorsInSeveralEntriesAreAllReported) {
  auto r = load(R"yaml(
model_list:
  - model_name: a
    litellm_params: {model: nope/x}
  - model_name: b
    litellm_params: {model: azure/x, api_key: k}
  - model_name: c
    litellm_params: {model: openai/x, api_key: k, timeout: "soon"}
)yaml");
  // An unknown provider and a missing endpoint disable their deployments (warnings, as LiteLLM
  // fails them only at request time); a wrong value is an error. All are reported.
  EXPECT_EQ(countErrors(r), 1u) << testing::allDiagnostics(r);
  EXPECT_TRUE(hasWarning(r, "model_list[0].litellm_params.model", "unknown provider"));
  EXPECT_TRUE(hasWarning(r, "model_list[1].litellm_params.api_base", "no default endpoint"));
  EXPECT_TRUE(hasError(r, "model_list[2].litellm_params.timeout"));
}

TEST(ConfigDiagnostics, BadMergeKey) {
  auto r = load(
      "model_list:\n  - model_name: a\n    litellm_params:\n      <<: [1]\n"
      "      model: gpt-4o\n");
  EXPECT_TRUE(hasError(r, "model_list[0].litellm_params.<<", "merge key"));
}

TEST(ConfigDiagnostics, NonScalarKey) {
  auto r = load("model_list: []\n? [a, b]\n: c\n");
  EXPECT_TRUE(hasError(r, "", "keys must be plain strings"));
}

TEST(ConfigDiagnostics, FormatDiagnostic) {
  EXPECT_EQ(formatDiagnostic({ConfigDiagnostic::Severity::kError,
                              "model_list[0].litellm_params.model", "required"}),
            "error: model_list[0].litellm_params.model: required");
  EXPECT_EQ(formatDiagnostic({ConfigDiagnostic::Severity::kWarning, "", "no models"}),
            "warning: no models");
}

}  // namespace
}  // namespace switchyard
