#include "providers/openai/openai_adapter.hpp"

#include <boost/json.hpp>

#include "providers/openai/openai_errors.hpp"
#include "providers/openai/openai_stream.hpp"

namespace switchyard {

namespace json = boost::json;

void readOpenAiUsage(const json::value& usage, Usage& out) {
  const auto* obj = usage.if_object();
  if (!obj) return;
  auto readInt = [](const json::object& o, std::string_view key) -> int64_t {
    const auto* v = o.if_contains(key);
    if (!v) return 0;
    if (v->is_int64()) return v->get_int64();
    if (v->is_uint64()) return static_cast<int64_t>(v->get_uint64());
    if (v->is_double()) return static_cast<int64_t>(v->get_double());
    return 0;
  };
  out.present = true;
  out.promptTokens = readInt(*obj, "prompt_tokens");
  out.completionTokens = readInt(*obj, "completion_tokens");
  out.totalTokens = readInt(*obj, "total_tokens");
  if (out.totalTokens == 0) out.totalTokens = out.promptTokens + out.completionTokens;
  if (const auto* d = obj->if_contains("prompt_tokens_details"); d && d->is_object()) {
    out.cachedPromptTokens = readInt(d->get_object(), "cached_tokens");
    // OpenAI-compatible hosts in front of Anthropic models report cache writes here.
    out.cacheWriteTokens = readInt(d->get_object(), "cache_write_tokens");
    if (out.cacheWriteTokens == 0) {
      out.cacheWriteTokens = readInt(d->get_object(), "cache_creation_tokens");
    }
  }
  if (out.cacheWriteTokens == 0) {
    out.cacheWriteTokens = readInt(*obj, "cache_creation_input_tokens");
  }
  if (const auto* d = obj->if_contains("completion_tokens_details"); d && d->is_object()) {
    out.reasoningTokens = readInt(d->get_object(), "reasoning_tokens");
  }
  // Some hosts (DeepSeek on Azure) report reasoning tokens at the top level of usage.
  if (out.reasoningTokens == 0) out.reasoningTokens = readInt(*obj, "reasoning_tokens");
}

std::string OpenAiAdapter::target(const ApiRequest& req, const Deployment& d) const {
  std::string t = d.apiBase.path;
  t += endpointPath(req.endpoint);
  if (!d.apiBase.query.empty()) t += "?" + d.apiBase.query;
  return t;
}

void OpenAiAdapter::addAuth(const Deployment& d, UpstreamRequest& out) const {
  if (!d.apiKey.empty()) out.headers.emplace_back("Authorization", "Bearer " + d.apiKey);
}

Result<UpstreamRequest> OpenAiAdapter::buildRequest(ApiRequest& req, const Deployment& d) const {
  req.body["model"] = d.upstreamModel;
  // Usage is needed for accounting even when the client did not ask for it; the translator
  // drops the extra chunk again.
  if (!acceptsStreamOptions(d)) {
    // Hosts such as Mistral reject the field (422) and report stream usage unasked.
    req.body.erase("stream_options");
  } else if (req.stream) {
    auto& opts = req.body["stream_options"];
    if (!opts.is_object()) opts = json::object{};
    opts.get_object()["include_usage"] = true;
  }
  UpstreamRequest out;
  out.target = target(req, d);
  addAuth(d, out);
  for (const auto& [name, value] : d.extraHeaders) out.headers.emplace_back(name, value);
  out.body = json::serialize(req.body);
  return out;
}

bool scanOpenAiUsage(std::string_view body, Usage& out) {
  // The top-level usage object comes after the choices; a "usage" key inside message content
  // would be escaped (\"usage\") and cannot match.
  constexpr std::string_view kKey = "\"usage\"";
  auto isSpace = [](char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; };
  size_t end = body.size();
  while (end > 0) {
    const size_t k = body.rfind(kKey, end - 1);
    if (k == std::string_view::npos) return false;
    size_t i = k + kKey.size();
    while (i < body.size() && isSpace(body[i])) ++i;
    if (i < body.size() && body[i] == ':') {
      ++i;
      while (i < body.size() && isSpace(body[i])) ++i;
      if (i < body.size() && body[i] == '{') {
        json::stream_parser parser;
        boost::system::error_code ec;
        parser.write_some(body.substr(i), ec);
        if (!ec && parser.done()) {
          readOpenAiUsage(parser.release(), out);
          return true;
        }
      }
    }
    end = k;
  }
  return false;
}

Result<std::string> OpenAiAdapter::translateResponse(const ApiRequest&, std::string body,
                                                     Usage& usage) const {
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

std::unique_ptr<StreamTranslator> OpenAiAdapter::makeStreamTranslator(const ApiRequest& req) const {
  return std::make_unique<OpenAiStreamPassThrough>(req.clientWantsUsage);
}

Error OpenAiAdapter::classifyError(int status, std::string_view body,
                                   std::string_view retryAfter) const {
  return classifyOpenAiError(status, body, retryAfter);
}

}  // namespace switchyard
