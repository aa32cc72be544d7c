#include "providers/bedrock/bedrock_adapter.hpp"

#include "core/async.hpp"
#include "providers/bedrock/bedrock_stream.hpp"
#include "providers/common/aws_errors.hpp"
#include "providers/common/aws_signing.hpp"

namespace switchyard {

namespace json = boost::json;

BedrockAdapter::BedrockAdapter(Clock clock)
    : clock_(clock ? std::move(clock) : Clock([] { return std::chrono::system_clock::now(); })) {}

std::string BedrockAdapter::region(const Deployment& d) const { return aws::region(d); }

Result<UpstreamRequest> BedrockAdapter::buildRequest(ApiRequest& req, const Deployment& d) const {
  const std::string id = bedrock::modelId(d.upstreamModel);
  UpstreamRequest out;
  out.target = d.apiBase.path;
  json::object body;
  if (req.endpoint == Endpoint::kEmbeddings) {
    auto converted = bedrock::toEmbedRequest(req.body(), id, d.dropParams);
    if (!converted) return converted.error();
    body = std::move(*converted);
    out.target += bedrock::modelPath(id, "invoke");
  } else if (req.endpoint == Endpoint::kChatCompletions) {
    auto converted = bedrock::toConverse(req.body(), id, d.dropParams);
    if (!converted) return converted.error();
    body = std::move(*converted);
    out.target += bedrock::modelPath(id, req.stream ? "converse-stream" : "converse");
  } else {
    return Error::make(ErrorClass::kBadRequest,
                       "Bedrock deployments serve chat completions and embeddings only.", {},
                       "unsupported_endpoint");
  }
  if (!d.apiBase.query.empty()) out.target += "?" + d.apiBase.query;
  for (const auto& [name, value] : d.extraHeaders) out.headers.emplace_back(name, value);
  out.body = json::serialize(body);
  return out;
}

Result<void> BedrockAdapter::sign(const Deployment& d, UpstreamRequest& request) const {
  const sigv4::Credentials creds = aws::credentials(d);
  if (creds.accessKeyId.empty() || creds.secretAccessKey.empty()) {
    // Bedrock API keys are bearer tokens and need no signing.
    if (!d.apiKey.empty()) {
      request.headers.emplace_back("Authorization", "Bearer " + d.apiKey);
      return {};
    }
    return aws::missingCredentials(d, "Bedrock");
  }
  aws::sign(request, d, creds, "bedrock", clock_());
  return {};
}

Task<Result<void>> BedrockAdapter::addCredentials(const Deployment& d, UpstreamRequest& request,
                                                  UpstreamPool&) const {
  Result<void> signedOk = sign(d, request);
  co_return signedOk;
}

Result<std::string> BedrockAdapter::translateResponse(const ApiRequest& req, std::string body,
                                                      Usage& usage) const {
  if (req.endpoint == Endpoint::kEmbeddings) return bedrock::fromEmbedResponse(body, req, usage);
  return bedrock::fromConverse(body, req.model, usage);
}

std::unique_ptr<StreamDecoder> BedrockAdapter::makeStreamDecoder(const ApiRequest& req) const {
  return std::make_unique<BedrockStreamDecoder>(req.model);
}

Error BedrockAdapter::classifyError(int status, std::string_view body,
                                    std::string_view retryAfter) const {
  return aws::classifyError(status, body, retryAfter);
}

}  // namespace switchyard
