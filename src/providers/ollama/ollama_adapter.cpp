#include "providers/ollama/ollama_adapter.hpp"

#include "providers/openai/openai_stream.hpp"

namespace switchyard {

namespace json = boost::json;

std::string OllamaAdapter::target(const ApiRequest& req, const Deployment& d) const {
  std::string t = d.apiBase.path;
  if (req.endpoint == Endpoint::kChatCompletions) {
    t += "/api/chat";
  } else if (req.endpoint == Endpoint::kEmbeddings) {
    t += "/api/embed";
  } else {
    t += "/v1";
    t += endpointPath(req.endpoint);
  }
  if (!d.apiBase.query.empty()) t += "?" + d.apiBase.query;
  return t;
}

Result<UpstreamRequest> OllamaAdapter::buildRequest(ApiRequest& req, const Deployment& d) const {
  if (req.endpoint != Endpoint::kChatCompletions && req.endpoint != Endpoint::kEmbeddings) {
    if (req.endpoint != Endpoint::kCompletions) {
      return Error::make(ErrorClass::kBadRequest,
                         "Ollama deployments serve chat completions, completions and embeddings "
                         "only.",
                         {}, "unsupported_endpoint");
    }
    // The legacy completions: Ollama's OpenAI-compatible endpoint takes them as they are.
    return OpenAiAdapter::buildRequest(req, d);
  }
  if (req.untranslated) return *req.untranslated;
  auto body = req.endpoint == Endpoint::kChatCompletions
                  ? ollama::toChat(req.body(), d.upstreamModel, d.dropParams)
                  : ollama::toEmbed(req.body(), d.upstreamModel);
  if (!body) return body.error();
  return translatedRequest(req, d, *body);
}

Result<std::string> OllamaAdapter::translateResponse(const ApiRequest& req, std::string body,
                                                     Usage& usage) const {
  if (req.endpoint == Endpoint::kChatCompletions) return ollama::fromChat(body, req.model, usage);
  if (req.endpoint == Endpoint::kEmbeddings) return ollama::fromEmbed(body, req, usage);
  return OpenAiAdapter::translateResponse(req, std::move(body), usage);
}

std::unique_ptr<StreamDecoder> OllamaAdapter::makeStreamDecoder(const ApiRequest& req) const {
  if (req.endpoint == Endpoint::kCompletions) return OpenAiAdapter::makeStreamDecoder(req);
  return std::make_unique<OllamaStreamDecoder>(req.model);
}

std::unique_ptr<StreamPassThrough> OllamaAdapter::makeStreamPassThrough(
    const ApiRequest& req) const {
  if (req.endpoint != Endpoint::kCompletions) return nullptr;
  return OpenAiAdapter::makeStreamPassThrough(req);
}

Error OllamaAdapter::classifyError(int status, std::string_view body,
                                   std::string_view retryAfter) const {
  return ollama::classifyError(status, body, retryAfter);
}

}  // namespace switchyard
