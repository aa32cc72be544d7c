#include "providers/registry.hpp"

#include "providers/bedrock/bedrock_region.hpp"
#include "providers/vertex/vertex_location.hpp"

namespace switchyard {

namespace {

DeploymentApiBase bedrockApiBase(const std::map<std::string, std::string>& params) {
  const std::string region = aws::configuredRegion(params);
  return {bedrock::runtimeUrl(region.empty() ? "us-east-1" : region), "the AWS region"};
}

// Workers AI's OpenAI-compatible endpoint lives under the account id.
DeploymentApiBase cloudflareApiBase(const std::map<std::string, std::string>& params) {
  auto it = params.find("cloudflare_account_id");
  if (it == params.end() || it->second.empty()) return {"", "CLOUDFLARE_ACCOUNT_ID"};
  return {"https://api.cloudflare.com/client/v4/accounts/" + it->second + "/ai/v1",
          "CLOUDFLARE_ACCOUNT_ID"};
}

DeploymentApiBase sageMakerApiBase(const std::map<std::string, std::string>& params) {
  const std::string region = aws::configuredRegion(params);
  return {aws::regionalUrl("runtime.sagemaker", region.empty() ? "us-east-1" : region),
          "the AWS region"};
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
      // SageMaker endpoints sign like Bedrock (the same aws_* params and AWS_* variables); the
      // host depends on the region.
      {"sagemaker", WireFormat::kSageMaker, "", "", false, {}, true, &sageMakerApiBase},
      {"sagemaker_chat", WireFormat::kSageMakerChat, "", "", false, {}, true, &sageMakerApiBase},
      // LiteLLM's text-completion-openai/: chat requests sent to the legacy completions API.
      {"text-completion-openai", WireFormat::kTextCompletion, "https://api.openai.com/v1",
       "OPENAI_API_KEY", true, "OPENAI_API_BASE"},
      // OpenAI-compatible hosts: default base URL, key variable and base variable as LiteLLM
      // reads them (its provider configs, litellm/llms/<provider>/chat/transformation.py).
      {"groq", WireFormat::kOpenAi, "https://api.groq.com/openai/v1", "GROQ_API_KEY", true,
       "GROQ_API_BASE"},
      {"together_ai", WireFormat::kOpenAi, "https://api.together.xyz/v1", "TOGETHERAI_API_KEY",
       true, "TOGETHER_AI_API_BASE"},
      {"deepseek", WireFormat::kOpenAi, "https://api.deepseek.com/v1", "DEEPSEEK_API_KEY", true,
       "DEEPSEEK_API_BASE"},
      {"mistral", WireFormat::kOpenAi, "https://api.mistral.ai/v1", "MISTRAL_API_KEY", true,
       "MISTRAL_API_BASE",
       /*acceptsStreamOptions=*/false},
      {"codestral", WireFormat::kOpenAi, "https://codestral.mistral.ai/v1", "CODESTRAL_API_KEY",
       true, "CODESTRAL_API_BASE",
       /*acceptsStreamOptions=*/false},
      {"fireworks_ai", WireFormat::kOpenAi, "https://api.fireworks.ai/inference/v1",
       "FIREWORKS_AI_API_KEY"},
      {"openrouter", WireFormat::kOpenAi, "https://openrouter.ai/api/v1", "OPENROUTER_API_KEY",
       true, "OPENROUTER_API_BASE"},
      {"xai", WireFormat::kOpenAi, "https://api.x.ai/v1", "XAI_API_KEY", true, "XAI_API_BASE"},
      {"perplexity", WireFormat::kOpenAi, "https://api.perplexity.ai", "PERPLEXITYAI_API_KEY"},
      {"deepinfra", WireFormat::kOpenAi, "https://api.deepinfra.com/v1/openai", "DEEPINFRA_API_KEY",
       true, "DEEPINFRA_API_BASE"},
      {"cerebras", WireFormat::kOpenAi, "https://api.cerebras.ai/v1", "CEREBRAS_API_KEY", true,
       "CEREBRAS_API_BASE"},
      {"nvidia_nim", WireFormat::kOpenAi, "https://integrate.api.nvidia.com/v1",
       "NVIDIA_NIM_API_KEY", true, "NVIDIA_NIM_API_BASE"},
      {"sambanova", WireFormat::kOpenAi, "https://api.sambanova.ai/v1", "SAMBANOVA_API_KEY", true,
       "SAMBANOVA_API_BASE"},
      {"anyscale", WireFormat::kOpenAi, "https://api.endpoints.anyscale.com/v1", "ANYSCALE_API_KEY",
       true, "ANYSCALE_API_BASE"},
      {"friendliai", WireFormat::kOpenAi, "https://api.friendli.ai/serverless/v1",
       "FRIENDLIAI_API_KEY", true, "FRIENDLI_API_BASE"},
      {"novita", WireFormat::kOpenAi, "https://api.novita.ai/v3/openai", "NOVITA_API_KEY", true,
       "NOVITA_API_BASE"},
      {"nebius", WireFormat::kOpenAi, "https://api.studio.nebius.ai/v1", "NEBIUS_API_KEY", true,
       "NEBIUS_API_BASE"},
      {"hyperbolic", WireFormat::kOpenAi, "https://api.hyperbolic.xyz/v1", "HYPERBOLIC_API_KEY",
       true, "HYPERBOLIC_API_BASE"},
      {"lambda_ai", WireFormat::kOpenAi, "https://api.lambda.ai/v1", "LAMBDA_API_KEY", true,
       "LAMBDA_API_BASE"},
      {"moonshot", WireFormat::kOpenAi, "https://api.moonshot.ai/v1", "MOONSHOT_API_KEY", true,
       "MOONSHOT_API_BASE"},
      {"dashscope", WireFormat::kOpenAi, "https://dashscope-intl.aliyuncs.com/compatible-mode/v1",
       "DASHSCOPE_API_KEY", true, "DASHSCOPE_API_BASE"},
      {"volcengine", WireFormat::kOpenAi, "https://ark.cn-beijing.volces.com/api/v3",
       "VOLCENGINE_API_KEY", true, "VOLCENGINE_API_BASE"},
      {"meta_llama", WireFormat::kOpenAi, "https://api.llama.com/compat/v1", "LLAMA_API_KEY", true,
       "LLAMA_API_BASE"},
      {"github", WireFormat::kOpenAi, "https://models.inference.ai.azure.com", "GITHUB_API_KEY",
       true, "GITHUB_API_BASE"},
      // Hugging Face's OpenAI-compatible router; a dedicated Inference Endpoint is its api_base.
      {"huggingface", WireFormat::kOpenAi, "https://router.huggingface.co/v1",
       "HUGGINGFACE_API_KEY", true, "HUGGINGFACE_API_BASE"},
      // Hosted per workspace or resource: the endpoint must be configured.
      {"databricks", WireFormat::kOpenAi, "", "DATABRICKS_API_KEY", true, "DATABRICKS_API_BASE"},
      {"azure_ai", WireFormat::kOpenAi, "", "AZURE_AI_API_KEY", true, "AZURE_AI_API_BASE"},
      {"cloudflare", WireFormat::kOpenAi, "", "CLOUDFLARE_API_KEY", true, "CLOUDFLARE_API_BASE",
       true, &cloudflareApiBase},
      // Local servers: no key needed.
      // Ollama's native API; an api_base ending in /v1 is its OpenAI-compatible one. The key is
      // optional (a proxy in front of Ollama, or Ollama's cloud).
      {"ollama", WireFormat::kOllama, "http://localhost:11434", "OLLAMA_API_KEY", false,
       "OLLAMA_API_BASE", true, nullptr, "/v1"},
      {"ollama_chat", WireFormat::kOllama, "http://localhost:11434", "OLLAMA_API_KEY", false,
       "OLLAMA_API_BASE", true, nullptr, "/v1"},
      {"hosted_vllm", WireFormat::kOpenAi, "", "HOSTED_VLLM_API_KEY", false,
       "HOSTED_VLLM_API_BASE"},
      {"lm_studio", WireFormat::kOpenAi, "http://localhost:1234/v1", "", false,
       "LM_STUDIO_API_BASE"},
      {"llamafile", WireFormat::kOpenAi, "http://127.0.0.1:8080/v1", "LLAMAFILE_API_KEY", false,
       "LLAMAFILE_API_BASE"},
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
    case WireFormat::kOllama:
      return "ollama";
    case WireFormat::kTextCompletion:
      return "text-completion-openai";
    case WireFormat::kSageMaker:
      return "sagemaker";
    case WireFormat::kSageMakerChat:
      return "sagemaker_chat";
  }
  return "openai";
}

WireFormat wireFormatFor(const ProviderInfo& info, std::string_view apiBasePath) {
  std::string_view path = apiBasePath;
  while (path.ends_with('/')) path.remove_suffix(1);
  if (!info.openAiCompatiblePath.empty() && path.ends_with(info.openAiCompatiblePath)) {
    return WireFormat::kOpenAi;
  }
  return info.format;
}

const ProviderInfo* findProvider(std::string_view prefix) {
  for (const auto& p : allProviders()) {
    if (p.prefix == prefix) return &p;
  }
  return nullptr;
}

}  // namespace switchyard
