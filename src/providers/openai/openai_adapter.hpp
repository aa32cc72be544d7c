#pragma once
// OpenAI's wire format, shared by OpenAI itself, Azure and every OpenAI-compatible host. Hosts
// differ only in URL layout and auth header, which subclasses override.

#include "providers/adapter.hpp"
#include "providers/openai/openai_usage.hpp"

namespace switchyard {

class OpenAiAdapter : public ProviderAdapter {
 public:
  Result<UpstreamRequest> buildRequest(ApiRequest& req, const Deployment& d) const override;
  Result<std::string> translateResponse(const ApiRequest& req, std::string body,
                                        Usage& usage) const override;
  std::unique_ptr<StreamDecoder> makeStreamDecoder(const ApiRequest& req) const override;
  std::unique_ptr<StreamPassThrough> makeStreamPassThrough(const ApiRequest& req) const override;
  std::unique_ptr<StreamPassThrough> makeStreamPassThrough(const ApiRequest& req,
                                                           const Deployment& d) const override;
  // A Responses client's own body, for a deployment that speaks the Responses API.
  bool forwardsClientBody(const ApiRequest& req, const Deployment& d) const override;
  bool answersInClientFormat(const ApiRequest& req, const Deployment& d) const override;
  std::optional<UpstreamRequest> buildStoredResponseRequest(std::string_view method,
                                                            std::string_view path,
                                                            std::string_view query,
                                                            const Deployment& d) const override;
  Error classifyError(int status, std::string_view body,
                      std::string_view retryAfter) const override;

 protected:
  // Path and query for this endpoint on this deployment.
  virtual std::string target(const ApiRequest& req, const Deployment& d) const;
  // Path and query of the deployment's Responses API.
  virtual std::string responsesTarget(const Deployment& d) const;
  virtual void addAuth(const Deployment& d, UpstreamRequest& out) const;
  // A request to target(req, d) with this body, the deployment's auth and extra headers: what
  // the adapters built on this one send when they translate the body.
  UpstreamRequest translatedRequest(const ApiRequest& req, const Deployment& d,
                                    const boost::json::object& body) const;
  // Whether this deployment understands stream_options.include_usage.
  virtual bool acceptsStreamOptions(const Deployment& d) const { return d.streamUsage; }

 private:
  bool spliceModel(const ApiRequest& req, const Deployment& d, std::string& out) const;
};

}  // namespace switchyard
