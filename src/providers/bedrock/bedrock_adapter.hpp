#pragma once
// AWS Bedrock through its model-agnostic Converse / ConverseStream APIs (chat) and InvokeModel
// (Titan and Cohere embeddings), signed with SigV4. The client speaks OpenAI's format.

#include <chrono>
#include <functional>

#include "core/async.hpp"
#include "providers/adapter.hpp"
#include "providers/bedrock/bedrock_region.hpp"
#include "providers/common/sigv4.hpp"

namespace switchyard {

class BedrockAdapter : public ProviderAdapter {
 public:
  using Clock = std::function<std::chrono::system_clock::time_point()>;
  // Tests pin the signing time; the gateway uses the real one. Credentials and region come from
  // the deployment only (the loader read the AWS_* variables into it).
  explicit BedrockAdapter(Clock clock = nullptr);

  Result<UpstreamRequest> buildRequest(ApiRequest& req, const Deployment& d) const override;
  Result<std::string> translateResponse(const ApiRequest& req, std::string body,
                                        Usage& usage) const override;
  std::unique_ptr<StreamDecoder> makeStreamDecoder(const ApiRequest& req) const override;
  bool hasCredentialStep() const override { return true; }
  Task<Result<void>> addCredentials(const Deployment& d, UpstreamRequest& request,
                                    UpstreamPool& pool) const override;
  Error classifyError(int status, std::string_view body,
                      std::string_view retryAfter) const override;

  // The synchronous part of addCredentials: SigV4 with the deployment's keys, or a Bedrock API
  // key as a bearer token.
  Result<void> sign(const Deployment& d, UpstreamRequest& request) const;
  // Region used for signing: configured, else from a bedrock-runtime.{region} host, else
  // us-east-1.
  std::string region(const Deployment& d) const;

 private:
  Clock clock_;
};

namespace bedrock {

// The model id as it goes into the URL: LiteLLM's "converse/" route prefix removed.
std::string modelId(std::string_view upstreamModel);
// "/model/{id}/converse" etc., the id percent-encoded (':' and '/' included).
std::string modelPath(std::string_view modelId, std::string_view action);

// OpenAI chat request → Converse request body.
Result<boost::json::object> toConverse(const boost::json::object& body, std::string_view modelId,
                                       bool dropParams);
// Converse response → OpenAI chat.completion.
Result<std::string> fromConverse(std::string_view body, std::string_view model, Usage& usage);
// OpenAI embeddings request → InvokeModel body for Titan or Cohere embedding models.
Result<boost::json::object> toEmbedRequest(const boost::json::object& body,
                                           std::string_view modelId, bool dropParams);
Result<std::string> fromEmbedResponse(std::string_view body, const ApiRequest& req, Usage& usage);

std::string_view finishReason(std::string_view stopReason);
// Converse usage → Usage (prompt includes cache reads and writes; cached = reads).
void readUsage(const boost::json::object& usage, Usage& out);

}  // namespace bedrock

}  // namespace switchyard
