#include "providers/bedrock/bedrock_adapter.hpp"

#include "core/async.hpp"
#include "providers/bedrock/bedrock_stream.hpp"

namespace switchyard {

namespace json = boost::json;

namespace {

std::string param(const Deployment& d, std::string_view key) {
  auto it = d.providerParams.find(std::string(key));
  return it == d.providerParams.end() ? std::string() : it->second;
}

}  // namespace

BedrockAdapter::BedrockAdapter(Clock clock)
    : clock_(clock ? std::move(clock) : Clock([] { return std::chrono::system_clock::now(); })) {}

std::string BedrockAdapter::region(const Deployment& d) const {
  std::string r = bedrock::configuredRegion(d.providerParams);
  if (!r.empty()) return r;
  // bedrock-runtime.{region}.amazonaws.com (also the -fips and VPC endpoint forms).
  const std::string& host = d.apiBase.host;
  if (const size_t dot = host.find(".amazonaws.com"); dot != std::string::npos) {
    const size_t start = host.rfind('.', dot - 1);
    if (start != std::string::npos) return host.substr(start + 1, dot - start - 1);
  }
  return "us-east-1";
}

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
  sigv4::Credentials creds;
  creds.accessKeyId = param(d, "aws_access_key_id");
  creds.secretAccessKey = param(d, "aws_secret_access_key");
  creds.sessionToken = param(d, "aws_session_token");
  if (creds.accessKeyId.empty() || creds.secretAccessKey.empty()) {
    // Bedrock API keys are bearer tokens and need no signing.
    if (!d.apiKey.empty()) {
      request.headers.emplace_back("Authorization", "Bearer " + d.apiKey);
      return {};
    }
    return Error::make(ErrorClass::kUnauthorized,
                       "Bedrock deployment '" + d.id +
                           "' has no AWS credentials: set aws_access_key_id and "
                           "aws_secret_access_key (or AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY).",
                       {}, "missing_credentials");
  }

  const std::string date = sigv4::amzDate(clock_());
  const std::string payloadHash = sigv4::sha256Hex(request.body);
  const std::string_view target = request.target;
  const size_t q = target.find('?');
  sigv4::Request toSign;
  toSign.method = "POST";
  toSign.path = target.substr(0, q);
  toSign.query = q == std::string_view::npos ? std::string_view() : target.substr(q + 1);
  toSign.payloadHash = payloadHash;
  toSign.headers = {{"host", d.apiBase.hostHeader()},
                    {"x-amz-date", date},
                    {"x-amz-content-sha256", payloadHash}};
  if (!creds.sessionToken.empty())
    toSign.headers.emplace_back("x-amz-security-token", creds.sessionToken);
  const auto signedRequest = sigv4::sign(toSign, creds, region(d), "bedrock", date);
  request.headers.emplace_back("X-Amz-Date", date);
  request.headers.emplace_back("X-Amz-Content-Sha256", payloadHash);
  if (!creds.sessionToken.empty()) {
    request.headers.emplace_back("X-Amz-Security-Token", creds.sessionToken);
  }
  request.headers.emplace_back("Authorization", signedRequest.authorization);
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
  return bedrock::classifyError(status, body, retryAfter);
}

}  // namespace switchyard
