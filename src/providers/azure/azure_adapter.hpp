#pragma once
// Azure OpenAI: OpenAI's format behind deployment URLs, an api-version query and an api-key header.

#include "providers/openai/openai_adapter.hpp"

namespace switchyard {

class AzureAdapter : public OpenAiAdapter {
 protected:
  std::string target(const ApiRequest& req, const Deployment& d) const override;
  void addAuth(const Deployment& d, UpstreamRequest& out) const override;
};

}  // namespace switchyard
