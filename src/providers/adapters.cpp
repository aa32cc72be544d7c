#include "core/async.hpp"
#include "providers/adapter.hpp"
#include "providers/anthropic/anthropic_adapter.hpp"
#include "providers/azure/azure_adapter.hpp"
#include "providers/bedrock/bedrock_adapter.hpp"
#include "providers/cohere/cohere_adapter.hpp"
#include "providers/common/sse_events.hpp"
#include "providers/gemini/gemini_adapter.hpp"
#include "providers/ollama/ollama_adapter.hpp"
#include "providers/openai/openai_adapter.hpp"
#include "providers/sagemaker/sagemaker_adapter.hpp"
#include "providers/text_completion/text_completion_adapter.hpp"
#include "providers/vertex/vertex_adapter.hpp"

namespace switchyard {

Result<void> StreamDecoder::onBytes(std::string_view bytes, EventSink& sink) {
  return common::feedEvents(sse_, bytes,
                            [&](const SseEvent& e) { return onEvent(e.event, e.data, sink); });
}

std::optional<UpstreamRequest> ProviderAdapter::buildCountTokensRequest(std::string_view,
                                                                        const Deployment&) const {
  return std::nullopt;
}

std::optional<UpstreamRequest> ProviderAdapter::buildStoredResponseRequest(
    std::string_view, std::string_view, std::string_view, const Deployment&) const {
  return std::nullopt;
}

Task<Result<void>> ProviderAdapter::addCredentials(const Deployment&, UpstreamRequest&,
                                                   UpstreamPool&) const {
  co_return Result<void>{};
}

const ProviderAdapter& adapterFor(WireFormat format) {
  // Adapters are stateless; one instance each serves every worker.
  static const OpenAiAdapter kOpenAi;
  static const AzureAdapter kAzure;
  static const BedrockAdapter kBedrock;
  static const CohereAdapter kCohere;
  static const AnthropicAdapter kAnthropic;
  static const GeminiAdapter kGemini;
  static const VertexAdapter kVertex;
  static const OllamaAdapter kOllama;
  static const TextCompletionAdapter kTextCompletion;
  static const SageMakerAdapter kSageMaker(SageMakerAdapter::Payload::kTgi);
  static const SageMakerAdapter kSageMakerChat(SageMakerAdapter::Payload::kMessages);
  switch (format) {
    case WireFormat::kOpenAi:
      return kOpenAi;
    case WireFormat::kAzure:
      return kAzure;
    case WireFormat::kBedrock:
      return kBedrock;
    case WireFormat::kCohere:
      return kCohere;
    case WireFormat::kAnthropic:
      return kAnthropic;
    case WireFormat::kGemini:
      return kGemini;
    case WireFormat::kVertex:
      return kVertex;
    case WireFormat::kOllama:
      return kOllama;
    case WireFormat::kTextCompletion:
      return kTextCompletion;
    case WireFormat::kSageMaker:
      return kSageMaker;
    case WireFormat::kSageMakerChat:
      return kSageMakerChat;
  }
  return kOpenAi;
}

}  // namespace switchyard
