#pragma once
// Anthropic's Messages API (POST /v1/messages) behind the gateway's OpenAI format: requests,
// answers, streams and errors are translated both ways. An Anthropic client's own body is sent as
// it came (the model's value replaced), and its stream forwarded as it comes.

#include "providers/adapter.hpp"

namespace switchyard {

class AnthropicAdapter : public ProviderAdapter {
 public:
  std::optional<UpstreamRequest> buildCountTokensRequest(std::string_view anthropicBody,
                                                         const Deployment& d) const override;
  Result<UpstreamRequest> buildRequest(ApiRequest& req, const Deployment& d) const override;
  Result<std::string> translateResponse(const ApiRequest& req, std::string body,
                                        Usage& usage) const override;
  std::unique_ptr<StreamDecoder> makeStreamDecoder(const ApiRequest& req) const override;
  using ProviderAdapter::makeStreamPassThrough;
  std::unique_ptr<StreamPassThrough> makeStreamPassThrough(const ApiRequest& req) const override;
  bool forwardsClientBody(const ApiRequest& req, const Deployment&) const override {
    return req.format == InboundFormat::kAnthropic;
  }
  Error classifyError(int status, std::string_view body,
                      std::string_view retryAfter) const override;
};

}  // namespace switchyard
