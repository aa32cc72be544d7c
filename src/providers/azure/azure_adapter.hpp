#pragma once
// Azure OpenAI: OpenAI's format behind deployment URLs, an api-version query and an api-key header.

#include "providers/openai/openai_adapter.hpp"

namespace switchyard {

class AzureAdapter : public OpenAiAdapter {
 protected:
  std::string target(const ApiRequest& req, const Deployment& d) const override;
  // {api_base}/openai/responses?api-version=..., the model (deployment) named in the body.
  std::string responsesTarget(const Deployment& d) const override;
  void addAuth(const Deployment& d, UpstreamRequest& out) const override;
  // Azure rejects stream_options before api-version 2024-09-01.
  bool acceptsStreamOptions(const Deployment& d) const override;
};

}  // namespace switchyard
