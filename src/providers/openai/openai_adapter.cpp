#include "providers/openai/openai_adapter.hpp"

#include <boost/json.hpp>

#include "api/anthropic/messages_request_text.hpp"
#include "core/json_escape.hpp"
#include "providers/common/forwarded_request.hpp"

#include "providers/openai/openai_errors.hpp"
#include "providers/openai/openai_stream.hpp"
#include "providers/openai/openai_usage.hpp"
#include "providers/openai/responses_native.hpp"

namespace switchyard {

namespace json = boost::json;

std::string OpenAiAdapter::target(const ApiRequest& req, const Deployment& d) const {
  std::string t = d.apiBase.path;
  t += endpointPath(req.endpoint);
  if (!d.apiBase.query.empty()) t += "?" + d.apiBase.query;
  return t;
}

std::string OpenAiAdapter::responsesTarget(const Deployment& d) const {
  std::string t = d.apiBase.path + "/responses";
  if (!d.apiBase.query.empty()) t += "?" + d.apiBase.query;
  return t;
}

std::optional<UpstreamRequest> OpenAiAdapter::buildStoredResponseRequest(
    std::string_view method, std::string_view path, std::string_view query,
    const Deployment& d) const {
  if (!speaksResponses(d)) return std::nullopt;
  // {responses}/{path}, the deployment's query (Azure's api-version) kept after it.
  std::string base = responsesTarget(d);
  const size_t q = base.find('?');
  UpstreamRequest out;
  out.method = method;
  out.target = base.substr(0, q) + "/" + std::string(path);
  std::string params = q == std::string::npos ? std::string() : base.substr(q + 1);
  if (!query.empty()) params += (params.empty() ? "" : "&") + std::string(query);
  if (!params.empty()) out.target += "?" + params;
  addAuth(d, out);
  for (const auto& [name, value] : d.extraHeaders) out.headers.emplace_back(name, value);
  return out;
}

bool OpenAiAdapter::forwardsClientBody(const ApiRequest& req, const Deployment& d) const {
  return req.format == InboundFormat::kResponses && !req.clientText.empty() && speaksResponses(d);
}

bool OpenAiAdapter::answersInClientFormat(const ApiRequest& req, const Deployment& d) const {
  return req.format == InboundFormat::kOpenAi || forwardsClientBody(req, d);
}

void OpenAiAdapter::addAuth(const Deployment& d, UpstreamRequest& out) const {
  if (!d.apiKey.empty()) out.headers.emplace_back("Authorization", "Bearer " + d.apiKey);
}

UpstreamRequest OpenAiAdapter::translatedRequest(const ApiRequest& req, const Deployment& d,
                                                 const json::object& body) const {
  UpstreamRequest out;
  out.target = target(req, d);
  addAuth(d, out);
  for (const auto& [name, value] : d.extraHeaders) out.headers.emplace_back(name, value);
  out.body = json::serialize(body);
  return out;
}

// The client's own bytes with the deployment's model name in place of the client's, when that
// is the only change the upstream needs: re-serializing the parsed body costs more than the rest
// of building the request. False when the body needs other edits or there is no text to trust
// (see ApiRequest::rawBody).
bool OpenAiAdapter::spliceModel(const ApiRequest& req, const Deployment& d,
                                std::string& out) const {
  if (req.rawBody.empty()) return false;
  const bool streamOptionsAsNeeded =
      acceptsStreamOptions(d) ? !req.stream || req.clientWantsUsage : !req.has("stream_options");
  if (!streamOptionsAsNeeded) return false;
  const JsonSpan model = req.modelSpan;
  out.reserve(req.rawBody.size() + d.upstreamModel.size() + 2);
  out.append(req.rawBody.substr(0, model.begin));
  appendJsonString(out, d.upstreamModel);
  out.append(req.rawBody.substr(model.end));
  return true;
}

Result<UpstreamRequest> OpenAiAdapter::buildRequest(ApiRequest& req, const Deployment& d) const {
  UpstreamRequest out;
  out.target = target(req, d);
  addAuth(d, out);
  for (const auto& [name, value] : d.extraHeaders) out.headers.emplace_back(name, value);
  if (forwardsAnswer(req.endpoint)) {
    auto body = common::forwardedBody(req, d.upstreamModel);
    if (!body) return body.error();
    out.body = std::move(*body);
    if (!req.formContentType.empty()) out.contentType = std::string(req.formContentType);
    return out;
  }
  if (forwardsClientBody(req, d)) {
    // The body's own text scan (model and routing fields) is generic JSON, whichever API it is.
    if (!req.clientText.located()) req.clientText = anthropic_in::clientTextOf(req.clientText.text);
    if (req.clientText.located()) {
      out.target = responsesTarget(d);
      req.clientText.spliceInto(d.upstreamModel, out.body);
      return out;
    }
  }
  // What only the client's own body could carry would be lost: refused.
  if (req.untranslated) return *req.untranslated;
  if (spliceModel(req, d, out.body)) return out;

  json::object& body = req.editBody();
  body["model"] = d.upstreamModel;
  // Usage is needed for accounting even when the client did not ask for it; the translator
  // drops the extra chunk again.
  if (!acceptsStreamOptions(d)) {
    // Hosts such as Mistral reject the field (422) and report stream usage unasked.
    body.erase("stream_options");
  } else if (req.stream) {
    auto& opts = body["stream_options"];
    if (!opts.is_object()) opts = json::object{};
    opts.get_object()["include_usage"] = true;
  }
  out.body = json::serialize(body);
  return out;
}

Result<std::string> OpenAiAdapter::translateResponse(const ApiRequest& req, std::string body,
                                                     Usage& usage) const {
  // Media answers are not always JSON (audio, a transcript as text): forwarded as they are.
  if (forwardsAnswer(req.endpoint)) {
    common::readForwardedUsage(req, body, usage);
    return body;
  }
  // The body is already in the client's format and is forwarded byte for byte, so only its
  // outline is checked and only the usage object is parsed.
  const size_t first = body.find_first_not_of(" \t\r\n");
  const size_t last = body.find_last_not_of(" \t\r\n");
  if (first == std::string::npos || body[first] != '{' || body[last] != '}') {
    return Error::make(ErrorClass::kBadUpstream,
                       "The upstream answered with a body that is not a JSON object.", {},
                       "bad_upstream_response");
  }
  scanOpenAiUsage(body, usage);
  return body;
}

std::unique_ptr<StreamDecoder> OpenAiAdapter::makeStreamDecoder(const ApiRequest&) const {
  return std::make_unique<OpenAiStreamDecoder>();
}

std::unique_ptr<StreamPassThrough> OpenAiAdapter::makeStreamPassThrough(
    const ApiRequest& req) const {
  if (req.format != InboundFormat::kOpenAi) return nullptr;
  return std::make_unique<OpenAiStreamPassThrough>(req.clientWantsUsage);
}

std::unique_ptr<StreamPassThrough> OpenAiAdapter::makeStreamPassThrough(const ApiRequest& req,
                                                                        const Deployment& d) const {
  if (forwardsClientBody(req, d)) return std::make_unique<ResponsesStreamPassThrough>();
  return makeStreamPassThrough(req);
}

Error OpenAiAdapter::classifyError(int status, std::string_view body,
                                   std::string_view retryAfter) const {
  return classifyOpenAiError(status, body, retryAfter);
}

}  // namespace switchyard
