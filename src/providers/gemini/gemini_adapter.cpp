#include "providers/gemini/gemini_adapter.hpp"

#include <boost/json.hpp>

#include "providers/common/errors.hpp"
#include "providers/common/json_fields.hpp"
#include "providers/gemini/gemini_translate.hpp"

namespace switchyard {

namespace json = boost::json;

std::string_view googleModelId(std::string_view upstreamModel) {
  if (upstreamModel.starts_with("models/")) upstreamModel.remove_prefix(7);
  return upstreamModel;
}

namespace {

bool endsWithVersion(std::string_view path) {
  return path.ends_with("/v1") || path.ends_with("/v1beta") || path.ends_with("/v1alpha");
}

std::string requestModel(const ApiRequest& req) {
  return std::string(common::stringField(req.body(), "model"));
}

}  // namespace

Result<std::string> GeminiAdapter::modelResource(const Deployment& d) const {
  std::string path = d.apiBase.path;
  if (!endsWithVersion(path)) path += "/v1beta";
  path += "/models/";
  path += googleModelId(d.upstreamModel);
  return path;
}

void GeminiAdapter::addAuth(const Deployment& d, UpstreamRequest& out) const {
  if (!d.apiKey.empty()) out.headers.emplace_back("x-goog-api-key", d.apiKey);
}

Result<UpstreamRequest> GeminiAdapter::buildRequest(ApiRequest& req, const Deployment& d) const {
  auto resource = modelResource(d);
  if (!resource) return resource.error();
  Result<json::object> body = json::object();
  std::string method;
  switch (req.endpoint) {
    case Endpoint::kChatCompletions:
      body = geminiChatRequest(req.body(), d.dropParams, d.upstreamModel);
      method = req.stream ? ":streamGenerateContent?alt=sse" : ":generateContent";
      break;
    case Endpoint::kEmbeddings:
      if (embedsWithPredict()) {
        body = vertexEmbeddingRequest(req.body(), d.dropParams);
        method = ":predict";
      } else {
        body = geminiEmbeddingRequest(req.body(), googleModelId(d.upstreamModel), d.dropParams);
        method = ":batchEmbedContents";
      }
      break;
    case Endpoint::kCompletions:
      return Error::make(ErrorClass::kBadRequest,
                         "Google models do not serve the legacy /completions endpoint; use "
                         "/chat/completions.",
                         {}, "unsupported_endpoint");
    default:
      return Error::make(ErrorClass::kBadRequest,
                         "Google deployments serve chat completions and embeddings only.", {},
                         "unsupported_endpoint");
  }
  if (!body) return body.error();
  // The translators read the model name back from the request.
  req.editBody()["model"] = d.upstreamModel;

  UpstreamRequest out;
  out.target = std::move(*resource) + method;
  if (!d.apiBase.query.empty()) {
    out.target += method.find('?') == std::string::npos ? '?' : '&';
    out.target += d.apiBase.query;
  }
  addAuth(d, out);
  for (const auto& [name, value] : d.extraHeaders) out.headers.emplace_back(name, value);
  out.body = json::serialize(*body);
  return out;
}

Result<std::string> GeminiAdapter::translateResponse(const ApiRequest& req, std::string body,
                                                     Usage& usage) const {
  const std::string model = requestModel(req);
  if (req.endpoint == Endpoint::kEmbeddings) {
    const bool base64 = common::stringField(req.body(), "encoding_format") == "base64";
    if (embedsWithPredict()) return vertexEmbeddingResponse(body, model, base64, usage);
    return geminiEmbeddingResponse(body, model, embeddingInputChars(req.body()), base64, usage);
  }
  return geminiChatResponse(body, model, usage);
}

std::unique_ptr<StreamDecoder> GeminiAdapter::makeStreamDecoder(const ApiRequest& req) const {
  return std::make_unique<GeminiStreamDecoder>(requestModel(req));
}

Error GeminiAdapter::classifyError(int status, std::string_view body,
                                   std::string_view retryAfter) const {
  return classifyGoogleError(status, body, retryAfter);
}

}  // namespace switchyard
