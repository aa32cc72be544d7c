#include "providers/cohere/cohere_adapter.hpp"

#include "providers/common/forwarded_request.hpp"

namespace switchyard {

namespace json = boost::json;

Result<UpstreamRequest> CohereAdapter::buildRequest(ApiRequest& req, const Deployment& d) const {
  UpstreamRequest out;
  // api_base may be given with or without the version segment.
  std::string base = d.apiBase.path;
  if (base.ends_with("/v2") || base.ends_with("/v1")) base.resize(base.size() - 3);
  json::object body;
  if (req.endpoint == Endpoint::kChatCompletions) {
    auto converted = cohere::toChat(req.body(), d.upstreamModel, d.dropParams);
    if (!converted) return converted.error();
    body = std::move(*converted);
    out.target = base + "/v2/chat";
  } else if (req.endpoint == Endpoint::kEmbeddings) {
    auto converted = cohere::toEmbed(req.body(), d.upstreamModel);
    if (!converted) return converted.error();
    body = std::move(*converted);
    out.target = base + "/v2/embed";
  } else if (req.endpoint == Endpoint::kRerank) {
    // LiteLLM's /rerank takes Cohere's v2 shape: the client's body goes as it is.
    auto forwarded = common::forwardedBody(req, d.upstreamModel);
    if (!forwarded) return forwarded.error();
    out.body = std::move(*forwarded);
    out.target = base + "/v2/rerank";
  } else {
    return Error::make(ErrorClass::kBadRequest,
                       "Cohere deployments serve chat completions, embeddings and rerank only.", {},
                       "unsupported_endpoint");
  }
  if (!d.apiBase.query.empty()) out.target += "?" + d.apiBase.query;
  // The loader filled the key from COHERE_API_KEY or CO_API_KEY when the config has none.
  if (!d.apiKey.empty()) out.headers.emplace_back("Authorization", "Bearer " + d.apiKey);
  for (const auto& [name, value] : d.extraHeaders) out.headers.emplace_back(name, value);
  if (out.body.empty()) out.body = json::serialize(body);
  return out;
}

Result<std::string> CohereAdapter::translateResponse(const ApiRequest& req, std::string body,
                                                     Usage& usage) const {
  if (req.endpoint == Endpoint::kEmbeddings) return cohere::fromEmbed(body, req, usage);
  if (req.endpoint == Endpoint::kRerank) {
    common::readForwardedUsage(req, body, usage);
    return body;
  }
  return cohere::fromChat(body, req.model, usage);
}

std::unique_ptr<StreamDecoder> CohereAdapter::makeStreamDecoder(const ApiRequest& req) const {
  return std::make_unique<CohereStreamDecoder>(req.model);
}

Error CohereAdapter::classifyError(int status, std::string_view body,
                                   std::string_view retryAfter) const {
  return cohere::classifyError(status, body, retryAfter);
}

}  // namespace switchyard
