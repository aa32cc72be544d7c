#include "providers/text_completion/text_completion_adapter.hpp"

#include "providers/openai/openai_stream.hpp"

namespace switchyard {

namespace json = boost::json;

std::string TextCompletionAdapter::target(const ApiRequest& req, const Deployment& d) const {
  if (req.endpoint != Endpoint::kChatCompletions) return OpenAiAdapter::target(req, d);
  std::string t = d.apiBase.path + "/completions";
  if (!d.apiBase.query.empty()) t += "?" + d.apiBase.query;
  return t;
}

Result<UpstreamRequest> TextCompletionAdapter::buildRequest(ApiRequest& req,
                                                            const Deployment& d) const {
  if (req.endpoint != Endpoint::kChatCompletions) return OpenAiAdapter::buildRequest(req, d);
  if (req.untranslated) return *req.untranslated;
  auto body = text_completion::toCompletion(req.body(), d.upstreamModel, req.stream, d.dropParams);
  if (!body) return body.error();
  return translatedRequest(req, d, *body);
}

Result<std::string> TextCompletionAdapter::translateResponse(const ApiRequest& req,
                                                             std::string body, Usage& usage) const {
  if (req.endpoint != Endpoint::kChatCompletions) {
    return OpenAiAdapter::translateResponse(req, std::move(body), usage);
  }
  return text_completion::toChatAnswer(body, req.model, usage);
}

std::unique_ptr<StreamDecoder> TextCompletionAdapter::makeStreamDecoder(
    const ApiRequest& req) const {
  if (req.endpoint != Endpoint::kChatCompletions) return OpenAiAdapter::makeStreamDecoder(req);
  return std::make_unique<TextCompletionStreamDecoder>(req.model);
}

std::unique_ptr<StreamPassThrough> TextCompletionAdapter::makeStreamPassThrough(
    const ApiRequest& req) const {
  if (req.endpoint == Endpoint::kChatCompletions) return nullptr;
  return OpenAiAdapter::makeStreamPassThrough(req);
}

}  // namespace switchyard
