#pragma once
// Which providers exist, where they live by default and which wire format they speak.
// OpenAI-compatible hosts are rows in one table, not copies of the OpenAI adapter.

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace switchyard {

// The adapter family that translates for a provider (see providers/adapters.hpp).
enum class WireFormat {
  kOpenAi,          // OpenAI's own API and every OpenAI-compatible host
  kAzure,           // OpenAI's format behind Azure's deployment URLs and api-key header
  kAnthropic,       // Anthropic's Messages API
  kGemini,          // Google AI Studio's generateContent API, key in x-goog-api-key
  kVertex,          // the same format under Vertex AI project/location URLs, OAuth bearer token
  kBedrock,         // AWS Bedrock Converse/InvokeModel, SigV4-signed
  kCohere,          // Cohere's Chat v2 and Embed v2 APIs
  kOllama,          // Ollama's native /api/chat and /api/embed
  kTextCompletion,  // a chat request sent to OpenAI's legacy /v1/completions (one prompt)
  kSageMaker,       // a TGI / JumpStart container on SageMaker ({inputs, parameters}), SigV4
  kSageMakerChat,   // an OpenAI-format (Messages API) container on SageMaker, SigV4
};

// A deployment's endpoint when api_base is not configured and its provider's host depends on the
// deployment (Bedrock's region, Vertex AI's location): the config loader asks the provider
// instead of knowing each one's rules.
struct DeploymentApiBase {
  std::string url;
  std::string_view from;  // what it was worked out from, for the loader's error messages
};
// From the deployment's provider params, which hold the environment's values as loaded.
using DeploymentApiBaseFn =
    DeploymentApiBase (*)(const std::map<std::string, std::string>& providerParams);

struct ProviderInfo {
  std::string_view prefix;  // "openai", "groq", ... as in "groq/llama-3.1-8b-instant"
  WireFormat format;
  std::string_view defaultApiBase;   // "" when api_base must be configured (azure, hosted_vllm)
  std::string_view apiKeyEnv;        // environment variable LiteLLM reads for this provider
  bool apiKeyRequired = true;        // local servers (ollama, vllm) need none
  std::string_view apiBaseEnv = {};  // environment variable for the base URL, where one exists
  bool acceptsStreamOptions = true;  // stream_options.include_usage is understood
  DeploymentApiBaseFn deploymentApiBase = nullptr;  // null: defaultApiBase (or apiBaseEnv)
  // A provider with a native API that also serves an OpenAI-compatible one under this path
  // (Ollama's "/v1"): an api_base ending in it is sent OpenAI's format (WireFormat::kOpenAi).
  std::string_view openAiCompatiblePath = {};
};

// The wire format a deployment of `info` at an api_base with this path speaks.
WireFormat wireFormatFor(const ProviderInfo& info, std::string_view apiBasePath);

// "openai", "azure", "anthropic", ...: the wire format's name, for people.
std::string_view wireFormatName(WireFormat format);

// nullptr when the prefix is not a provider Switchyard knows.
const ProviderInfo* findProvider(std::string_view prefix);
const std::vector<ProviderInfo>& allProviders();

}  // namespace switchyard
