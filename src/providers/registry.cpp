#include "providers/registry.hpp"

#include "providers/bedrock/bedrock_region.hpp"
#include "providers/vertex/vertex_location.hpp"

namespace switchyard {

namespace {

DeploymentApiBase bedrockApiBase(const std::map<std::string, std::string>& params) {
  const std::string region = bedrock::configuredRegion(params);
  return {bedrock::runtimeUrl(region.empty() ? "us-east-1" : region), "the AWS region"};
}

DeploymentApiBase vertexApiBase(const std::map<std::string, std::string>& params) {
  std::string location = "us-central1";
  if (auto it = params.find("vertex_location"); it != params.end()) location = it->second;
  return {vertexDefaultApiBase(location), "the Vertex AI location"};
}

}  // namespace

// The prefixes and key variables are LiteLLM's.
const std::vector<ProviderInfo>& allProviders() {
  static const std::vector<ProviderInfo> kProviders = {
      {"openai", WireFormat::kOpenAi, "https://api.openai.com/v1", "OPENAI_API_KEY", true,
       "OPENAI_API_BASE"},
      {"azure", WireFormat::kAzure, "", "AZURE_API_KEY", true, "AZURE_API_BASE"},
      {"anthropic", WireFormat::kAnthropic, "https://api.anthropic.com", "ANTHROPIC_API_KEY"},
      {"gemini", WireFormat::kGemini, "https://generativelanguage.googleapis.com",
       "GEMINI_API_KEY"},
      // Vertex authenticates with a service account (vertex_credentials), not a key variable.
      {"vertex_ai",
       WireFormat::kVertex,
       "https://us-central1-aiplatform.googleapis.com",
       "",
       false,
       {},
       true,
       &vertexApiBase},
      // Bedrock signs with AWS credentials (aws_* litellm_params or AWS_* variables); its URL
      // depends on the region, so there is no single default (see bedrock/bedrock_region.hpp).
      {"bedrock", WireFormat::kBedrock, "", "", false, {}, true, &bedrockApiBase},
      {"cohere", WireFormat::kCohere, "https://api.cohere.com", "COHERE_API_KEY"},
      {"groq", WireFormat::kOpenAi, "https://api.groq.com/openai/v1", "GROQ_API_KEY"},
      {"together_ai", WireFormat::kOpenAi, "https://api.together.xyz/v1", "TOGETHERAI_API_KEY"},
      {"deepseek", WireFormat::kOpenAi, "https://api.deepseek.com/v1", "DEEPSEEK_API_KEY"},
      {"mistral",
       WireFormat::kOpenAi,
       "https://api.mistral.ai/v1",
       "MISTRAL_API_KEY",
       true,
       {},
       /*acceptsStreamOptions=*/false},
      {"fireworks_ai", WireFormat::kOpenAi, "https://api.fireworks.ai/inference/v1",
       "FIREWORKS_AI_API_KEY"},
      {"openrouter", WireFormat::kOpenAi, "https://openrouter.ai/api/v1", "OPENROUTER_API_KEY"},
      {"xai", WireFormat::kOpenAi, "https://api.x.ai/v1", "XAI_API_KEY"},
      {"perplexity", WireFormat::kOpenAi, "https://api.perplexity.ai", "PERPLEXITYAI_API_KEY"},
      {"deepinfra", WireFormat::kOpenAi, "https://api.deepinfra.com/v1/openai",
       "DEEPINFRA_API_KEY"},
      {"cerebras", WireFormat::kOpenAi, "https://api.cerebras.ai/v1", "CEREBRAS_API_KEY"},
      {"nvidia_nim", WireFormat::kOpenAi, "https://integrate.api.nvidia.com/v1",
       "NVIDIA_NIM_API_KEY"},
      {"ollama", WireFormat::kOpenAi, "http://localhost:11434/v1", "", false, "OLLAMA_API_BASE"},
      {"ollama_chat", WireFormat::kOpenAi, "http://localhost:11434/v1", "", false,
       "OLLAMA_API_BASE"},
      {"hosted_vllm", WireFormat::kOpenAi, "", "HOSTED_VLLM_API_KEY", false,
       "HOSTED_VLLM_API_BASE"},
      {"lm_studio", WireFormat::kOpenAi, "http://localhost:1234/v1", "", false,
       "LM_STUDIO_API_BASE"},
      {"openai_like", WireFormat::kOpenAi, "", "", false},
      {"custom_openai", WireFormat::kOpenAi, "", "", false},
  };
  return kProviders;
}

std::string_view wireFormatName(WireFormat format) {
  switch (format) {
    case WireFormat::kOpenAi:
      return "openai";
    case WireFormat::kAzure:
      return "azure";
    case WireFormat::kAnthropic:
      return "anthropic";
    case WireFormat::kGemini:
      return "gemini";
    case WireFormat::kVertex:
      return "vertex_ai";
    case WireFormat::kBedrock:
      return "bedrock";
    case WireFormat::kCohere:
      return "cohere";
  }
  return "openai";
}

const ProviderInfo* findProvider(std::string_view prefix) {
  for (const auto& p : allProviders()) {
    if (p.prefix == prefix) return &p;
  }
  return nullptr;
}

}  // namespace switchyard
