#include "providers/anthropic/anthropic_adapter.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>

#include "api/anthropic/messages_request_text.hpp"
#include "providers/anthropic/anthropic_common.hpp"
#include "providers/anthropic/anthropic_errors.hpp"
#include "providers/anthropic/anthropic_request.hpp"
#include "providers/anthropic/anthropic_response.hpp"
#include "providers/anthropic/anthropic_stream.hpp"

namespace switchyard {

namespace {

constexpr std::string_view kApiVersion = "2023-06-01";

// api_base is Anthropic's origin ("https://api.anthropic.com"); a base that already ends in /v1
// (LiteLLM users often write one) or in /v1/messages works too.
std::string messagesTarget(const Url& base) {
  std::string t = base.path;
  if (!t.ends_with("/v1/messages")) t += t.ends_with("/v1") ? "/messages" : "/v1/messages";
  if (!base.query.empty()) t += "?" + base.query;
  return t;
}

bool sameName(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// The client's own body goes with the version it was written for. Betas the client asked for go
// with any body (its extra fields pass through a translation too), joined with the deployment's
// extra_headers betas into one header, as LiteLLM does.
void addHeaders(const Deployment& d, UpstreamRequest& out, std::string_view version = {},
                std::string_view betas = {}) {
  if (!d.apiKey.empty()) out.headers.emplace_back("x-api-key", d.apiKey);
  out.headers.emplace_back("anthropic-version", version.empty() ? kApiVersion : version);
  for (const auto& [name, value] : d.extraHeaders) {
    if (!betas.empty() && sameName(name, "anthropic-beta")) {
      out.headers.emplace_back(name, value + "," + std::string(betas));
      betas = {};
    } else {
      out.headers.emplace_back(name, value);
    }
  }
  if (!betas.empty()) out.headers.emplace_back("anthropic-beta", betas);
}

// Whether the upstream gets the client's own Messages body rather than one encoded from the
// canonical request. The answer then comes as the client asked (output_config.format answers in
// text, not through the JSON tool).
bool sendsClientBody(const ApiRequest& req) {
  return req.format == InboundFormat::kAnthropic && req.clientText.located();
}

bool answersThroughJsonTool(const ApiRequest& req) {
  return !sendsClientBody(req) && anthropic::wantsJsonTool(req.body());
}

}  // namespace

std::optional<UpstreamRequest> AnthropicAdapter::buildCountTokensRequest(
    std::string_view anthropicBody, const Deployment& d) const {
  boost::system::error_code ec;
  boost::json::value body = boost::json::parse(anthropicBody, ec);
  if (ec || !body.is_object()) return std::nullopt;  // the estimate answers with a clear 400
  body.get_object()["model"] = d.upstreamModel;
  UpstreamRequest out;
  out.target = messagesTarget(d.apiBase);
  const size_t query = out.target.find('?');
  out.target.insert(query == std::string::npos ? out.target.size() : query, "/count_tokens");
  addHeaders(d, out);
  out.body = boost::json::serialize(body);
  return out;
}

Result<UpstreamRequest> AnthropicAdapter::buildRequest(ApiRequest& req, const Deployment& d) const {
  if (req.endpoint != Endpoint::kChatCompletions) {
    const bool embeddings = req.endpoint == Endpoint::kEmbeddings;
    return Error::make(ErrorClass::kBadRequest,
                       embeddings ? "Anthropic has no embeddings API: use an embedding model "
                                    "from another provider."
                       : req.endpoint == Endpoint::kCompletions
                           ? "Anthropic models are served through /v1/chat/completions, not "
                             "the legacy /v1/completions."
                           : "Anthropic deployments serve chat completions and messages only.",
                       "model", "unsupported_endpoint");
  }
  UpstreamRequest out;
  out.target = messagesTarget(d.apiBase);
  if (req.format == InboundFormat::kAnthropic && !req.clientText.empty() &&
      !req.clientText.located()) {
    req.clientText = anthropic_in::clientTextOf(req.clientText.text);
  }
  if (sendsClientBody(req)) {
    addHeaders(d, out, req.anthropicVersion, req.anthropicBeta);
    req.clientText.spliceInto(d.upstreamModel, out.body);
    return out;
  }
  // What only the client's own body could carry would be lost: refused, as for any other format.
  if (req.untranslated) return *req.untranslated;
  auto body = anthropic::toMessagesRequest(req.body(), d, req.stream);
  if (!body) return body.error();
  addHeaders(d, out, {}, req.anthropicBeta);
  out.body = boost::json::serialize(*body);
  return out;
}

Result<std::string> AnthropicAdapter::translateResponse(const ApiRequest& req, std::string body,
                                                        Usage& usage) const {
  return anthropic::toChatCompletion(body, answersThroughJsonTool(req), usage);
}

std::unique_ptr<StreamDecoder> AnthropicAdapter::makeStreamDecoder(const ApiRequest& req) const {
  return std::make_unique<anthropic::AnthropicStreamDecoder>(answersThroughJsonTool(req));
}

std::unique_ptr<StreamPassThrough> AnthropicAdapter::makeStreamPassThrough(
    const ApiRequest& req) const {
  // An answer through the JSON tool (response_format) must become text: that takes events.
  if (req.format != InboundFormat::kAnthropic || answersThroughJsonTool(req)) {
    return nullptr;
  }
  return std::make_unique<anthropic::AnthropicStreamPassThrough>();
}

Error AnthropicAdapter::classifyError(int status, std::string_view body,
                                      std::string_view retryAfter) const {
  return anthropic::classifyError(status, body, retryAfter);
}

}  // namespace switchyard
