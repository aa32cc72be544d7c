// LiteLLM-shaped configs (tests/fixtures/litellm_configs, written for these tests in the shapes
// of LiteLLM's documented examples) must all load: a deployment Switchyard cannot serve is
// disabled with a warning naming its path, never a reason to refuse the whole config. Under
// --strict those warnings are errors. The environment holds every variable a file references,
// as it would for a user running it with LiteLLM.

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <regex>
#include <set>

#include "config/loader.hpp"
#include "config_test_util.hpp"
#include "support/fixtures.hpp"

namespace switchyard {
namespace {

using Severity = ConfigDiagnostic::Severity;

// A plausible value for each os.environ/NAME the file names, by what the name says it holds.
Environment environmentFor(const std::string& yaml) {
  std::map<std::string, std::string, std::less<>> vars{{"CLOUDFLARE_ACCOUNT_ID", "acct123"}};
  static const std::regex kRef("os\\.environ/([A-Za-z0-9_]+)");
  for (std::sregex_iterator it(yaml.begin(), yaml.end(), kRef), end; it != end; ++it) {
    const std::string name = (*it)[1];
    std::string value = "test-value";
    if (name.find("BASE") != std::string::npos || name.ends_with("_URL")) {
      value = "https://" + name + ".example.test/v1";
      for (auto& c : value) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      std::replace(value.begin(), value.end(), '_', '-');
    }
    if (name.find("REGION") != std::string::npos) value = "us-west-2";
    if (name == "DATABASE_URL") value = "sqlite://:memory:";
    vars.emplace(name, value);
  }
  return testing::mapEnvironment(std::move(vars));
}

struct Expected {
  std::set<std::string> disabled;  // model names left out, with the words the warning says
  std::set<std::string> serving;   // model names (or wildcard prefixes) that must be routed
};

const std::map<std::string, Expected>& expectations() {
  static const std::map<std::string, Expected> kExpected = {
      {"azure_openai_load_balanced.yaml", {{}, {"gpt-4o", "text-embedding-3-small"}}},
      {"sagemaker_and_bedrock.yaml", {{}, {"jumpstart-llama", "claude-3-sonnet", "titan-embed"}}},
      {"text_completion_openai.yaml", {{}, {"gpt-3.5-turbo-instruct", "gpt-3.5-turbo"}}},
      {"auto_router.yaml",
       {{"auto_router1"}, {"gpt-4o-mini", "claude-haiku", "custom_text_embedding_model"}}},
      {"local_servers.yaml",
       {{}, {"llama3", "mistral-chat", "vllm-model", "lmstudio", "llamafile", "vllm-openai"}}},
      {"google_and_anthropic.yaml",
       {{}, {"gemini-pro", "gemini-flash", "claude-sonnet", "command-r"}}},
      {"wildcards.yaml", {{}, {"openai", "anthropic", "team-a", "sagemaker"}}},
      {"openai_compatible_hosts.yaml",
       {{}, {"groq-llama", "together",   "fireworks", "deepseek",  "mistral",   "codestral",
             "perplexity", "grok",       "cerebras",  "sambanova", "nim",       "openrouter",
             "deepinfra",  "anyscale",   "friendli",  "moonshot",  "qwen",      "nebius",
             "novita",     "hyperbolic", "lambda",    "doubao",    "llama-api", "github",
             "hf",         "dbrx",       "phi",       "workers-ai"}}},
      {"providers_switchyard_lacks.yaml",
       {{"replicate-llama", "granite", "typo", "empty-name", "azure-without-endpoint"},
        {"gpt-4o"}}},
  };
  return kExpected;
}

bool serves(const Snapshot& s, const std::string& name) {
  if (s.groups.contains(name)) return true;
  for (const auto& w : s.wildcards) {
    if (w.prefix == name) return true;
  }
  return false;
}

TEST(LitellmConfigs, EveryFixtureLoadsAndServesWhatItCan) {
  const std::filesystem::path dir = testing::fixturePath("litellm_configs");
  size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".yaml") continue;
    ++files;
    const std::string file = entry.path().filename().string();
    SCOPED_TRACE(file);
    const auto it = expectations().find(file);
    ASSERT_NE(it, expectations().end()) << "add the fixture's expectations here";
    const std::string yaml = testing::readFixture("litellm_configs/" + file);
    const auto env = environmentFor(yaml);
    auto result = loadConfigText(yaml, env, file);
    ASSERT_TRUE(result.ok()) << testing::allDiagnostics(result);
    const Snapshot& s = *result.snapshot;
    std::set<std::string> disabled;
    for (const auto& [name, why] : s.disabledModels) {
      disabled.insert(name);
      EXPECT_NE(why.find("model_list["), std::string::npos) << why;
    }
    EXPECT_EQ(disabled, it->second.disabled) << testing::allDiagnostics(result);
    for (const auto& name : it->second.serving) EXPECT_TRUE(serves(s, name)) << name;
    size_t strictWarnings = 0;
    for (const auto& d : result.diagnostics) {
      if (!d.strictError) continue;
      ++strictWarnings;
      EXPECT_EQ(d.severity, Severity::kWarning);
      EXPECT_TRUE(d.path.starts_with("model_list[")) << d.path;
      EXPECT_NE(d.message.find("this deployment is disabled"), std::string::npos) << d.message;
    }
    EXPECT_EQ(strictWarnings, it->second.disabled.size());

    makeStrict(result);
    EXPECT_EQ(result.ok(), it->second.disabled.empty()) << testing::allDiagnostics(result);
  }
  EXPECT_EQ(files, expectations().size());
}

TEST(LitellmConfigs, OpenAiCompatibleHostsGetLiteLlmsDefaults) {
  const std::string yaml = testing::readFixture("litellm_configs/openai_compatible_hosts.yaml");
  auto result = loadConfigText(yaml, environmentFor(yaml), "hosts");
  ASSERT_TRUE(result.ok()) << testing::allDiagnostics(result);
  const Snapshot& s = *result.snapshot;
  auto base = [&](const std::string& group) {
    return s.deployments[s.groups.at(group).front()]->apiBase.toString();
  };
  EXPECT_EQ(base("sambanova"), "https://api.sambanova.ai/v1");
  EXPECT_EQ(base("moonshot"), "https://api.moonshot.ai/v1");
  EXPECT_EQ(base("qwen"), "https://dashscope-intl.aliyuncs.com/compatible-mode/v1");
  EXPECT_EQ(base("lambda"), "https://api.lambda.ai/v1");
  EXPECT_EQ(base("workers-ai"), "https://api.cloudflare.com/client/v4/accounts/acct123/ai/v1");
  EXPECT_EQ(base("dbrx"), "https://databricks-api-base.example.test/v1");
}

}  // namespace
}  // namespace switchyard
