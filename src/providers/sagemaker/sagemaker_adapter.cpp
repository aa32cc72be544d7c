#include "providers/sagemaker/sagemaker_adapter.hpp"

#include "providers/common/aws_errors.hpp"
#include "providers/common/aws_signing.hpp"
#include "providers/common/json_fields.hpp"
#include "providers/openai/openai_stream.hpp"

namespace switchyard {

namespace json = boost::json;

SageMakerAdapter::SageMakerAdapter(Payload payload, Clock clock)
    : payload_(payload),
      clock_(clock ? std::move(clock) : Clock([] { return std::chrono::system_clock::now(); })) {}

std::string SageMakerAdapter::target(const ApiRequest& req, const Deployment& d) const {
  std::string t = d.apiBase.path + "/endpoints/" + sigv4::uriEncode(d.upstreamModel, false) +
                  (req.stream ? "/invocations-response-stream" : "/invocations");
  if (!d.apiBase.query.empty()) t += "?" + d.apiBase.query;
  return t;
}

Result<UpstreamRequest> SageMakerAdapter::buildRequest(ApiRequest& req, const Deployment& d) const {
  const bool embeds = req.endpoint == Endpoint::kEmbeddings && payload_ == Payload::kTgi;
  if (req.endpoint != Endpoint::kChatCompletions && !embeds) {
    return Error::make(ErrorClass::kBadRequest,
                       payload_ == Payload::kTgi
                           ? "sagemaker/ deployments serve chat completions and embeddings only."
                           : "sagemaker_chat/ deployments serve chat completions only.",
                       {}, "unsupported_endpoint");
  }
  UpstreamRequest out;
  if (embeds) {
    auto body = sagemaker::toEmbeddingRequest(req.body());
    if (!body) return body.error();
    out.target = target(req, d);
    for (const auto& [name, value] : d.extraHeaders) out.headers.emplace_back(name, value);
    out.body = json::serialize(*body);
  } else if (payload_ == Payload::kMessages) {
    auto built = OpenAiAdapter::buildRequest(req, d);
    if (!built) return built;
    out = std::move(*built);
    // OpenAiAdapter added a bearer key when there is one; SageMaker is signed instead.
    std::erase_if(out.headers, [](const auto& h) { return h.first == "Authorization"; });
  } else {
    if (req.untranslated) return *req.untranslated;
    auto body = sagemaker::toTgi(req.body(), d.upstreamModel, req.stream, d.dropParams);
    if (!body) return body.error();
    // The answer's translator makes the prompt again (to count it), from the same model.
    req.editBody()["model"] = d.upstreamModel;
    out.target = target(req, d);
    for (const auto& [name, value] : d.extraHeaders) out.headers.emplace_back(name, value);
    out.body = json::serialize(*body);
  }
  // An endpoint that hosts several models (inference components) is told which: LiteLLM's
  // model_id.
  if (auto it = d.providerParams.find("model_id"); it != d.providerParams.end()) {
    out.headers.emplace_back("X-Amzn-SageMaker-Inference-Component", it->second);
  }
  return out;
}

Result<void> SageMakerAdapter::sign(const Deployment& d, UpstreamRequest& request) const {
  const sigv4::Credentials creds = aws::credentials(d);
  if (creds.accessKeyId.empty() || creds.secretAccessKey.empty()) {
    return aws::missingCredentials(d, "SageMaker");
  }
  aws::sign(request, d, creds, "sagemaker", clock_());
  return {};
}

Task<Result<void>> SageMakerAdapter::addCredentials(const Deployment& d, UpstreamRequest& request,
                                                    UpstreamPool&) const {
  Result<void> signedOk = sign(d, request);
  co_return signedOk;
}

Result<std::string> SageMakerAdapter::translateResponse(const ApiRequest& req, std::string body,
                                                        Usage& usage) const {
  if (payload_ == Payload::kMessages) {
    return OpenAiAdapter::translateResponse(req, std::move(body), usage);
  }
  if (req.endpoint == Endpoint::kEmbeddings)
    return sagemaker::fromEmbeddingAnswer(body, req, usage);
  return sagemaker::fromTgi(body, req, usage);
}

std::unique_ptr<StreamDecoder> SageMakerAdapter::makeStreamDecoder(const ApiRequest& req) const {
  if (payload_ == Payload::kMessages) {
    return std::make_unique<SageMakerStreamDecoder>(std::make_unique<OpenAiStreamDecoder>());
  }
  const std::string model(common::stringField(req.body(), "model"));
  auto prompt = sagemaker::promptOf(req.body(), model);
  return std::make_unique<SageMakerStreamDecoder>(
      std::make_unique<TgiStreamDecoder>(req.model, prompt ? std::move(*prompt) : std::string()));
}

std::unique_ptr<StreamPassThrough> SageMakerAdapter::makeStreamPassThrough(
    const ApiRequest& req) const {
  if (payload_ != Payload::kMessages) return nullptr;
  auto inner = OpenAiAdapter::makeStreamPassThrough(req);
  if (!inner) return nullptr;
  return std::make_unique<SageMakerStreamPassThrough>(std::move(inner));
}

Error SageMakerAdapter::classifyError(int status, std::string_view body,
                                      std::string_view retryAfter) const {
  return aws::classifyError(status, body, retryAfter);
}

}  // namespace switchyard
