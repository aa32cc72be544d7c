#include "providers/adapter.hpp"
#include "providers/azure/azure_adapter.hpp"
#include "providers/openai/openai_adapter.hpp"

namespace switchyard {

const ProviderAdapter& adapterFor(WireFormat format) {
  // Adapters are stateless; one instance each serves every worker.
  static const OpenAiAdapter kOpenAi;
  static const AzureAdapter kAzure;
  switch (format) {
    case WireFormat::kOpenAi:
      return kOpenAi;
    case WireFormat::kAzure:
      return kAzure;
  }
  return kOpenAi;
}

}  // namespace switchyard
