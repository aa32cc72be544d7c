#include "tools/mock-provider/openai_format.hpp"

#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>

#include <array>

namespace switchyard::mock {

std::string jsonQuote(std::string_view text) {
  return boost::json::serialize(boost::json::string_view(text.data(), text.size()));
}

std::string errorBody(std::string_view message, std::string_view type, std::string_view param,
                      std::string_view code) {
  auto orNull = [](std::string_view s) { return s.empty() ? std::string("null") : jsonQuote(s); };
  return R"({"error":{"message":)" + jsonQuote(message) + R"(,"type":)" + jsonQuote(type) +
         R"(,"param":)" + orNull(param) + R"(,"code":)" + orNull(code) + "}}";
}

Reply errorReply(unsigned status, std::string_view message, std::string_view type,
                 std::string_view param, std::string_view code) {
  return Reply{status, errorBody(message, type, param, code), 0};
}

Reply statusReply(unsigned status, int retryAfterSeconds) {
  Reply r;
  switch (status) {
    case 400:
      r = errorReply(status, "Mock bad request.", "invalid_request_error");
      break;
    case 401:
      r = errorReply(status, "Incorrect API key provided.", "invalid_request_error", {},
                     "invalid_api_key");
      break;
    case 403:
      r = errorReply(status, "You are not allowed to sample from this model.", "permission_error",
                     {}, "model_not_allowed");
      break;
    case 404:
      r = errorReply(status, "The model does not exist or you do not have access to it.",
                     "invalid_request_error", {}, "model_not_found");
      break;
    case 408:
      r = errorReply(status, "Request timed out.", "timeout_error");
      break;
    case 413:
      r = errorReply(status, "Request too large.", "invalid_request_error");
      break;
    case 429:
      r = errorReply(status,
                     "Rate limit reached for requests. Please try again later. (mock provider)",
                     "rate_limit_error", {}, "rate_limit_exceeded");
      break;
    case 503:
      r = errorReply(status,
                     "That model is currently overloaded with other requests. You can retry your "
                     "request. (mock provider)",
                     "server_error", {}, "overloaded");
      break;
    default:
      if (status >= 500) {
        r = errorReply(status,
                       "The server had an error while processing your request. Sorry about that! "
                       "(mock provider)",
                       "server_error");
      } else {
        r = errorReply(status, "Mock error.", "invalid_request_error");
      }
  }
  if (status == 429 || status == 503) r.retryAfterSeconds = retryAfterSeconds;
  return r;
}

Reply invalidJsonReply() {
  return errorReply(
      400,
      "We could not parse the JSON body of your request. (HINT: This likely means you aren't "
      "using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was "
      "sent was not valid JSON.)",
      "invalid_request_error");
}

Reply missingParamReply(std::string_view param) {
  if (param == "model") {
    return errorReply(400, "you must provide a model parameter", "invalid_request_error");
  }
  return errorReply(400, "Missing required parameter: '" + std::string(param) + "'.",
                    "invalid_request_error", param, "missing_required_parameter");
}

void appendEvent(std::string& out, std::string_view payload) {
  out.append("data: ");
  out.append(payload);
  out.append("\n\n");
}

int64_t approxTokens(size_t chars) { return std::max<int64_t>(1, int64_t((chars + 3) / 4)); }

size_t contentChars(const boost::json::value& content) {
  if (content.is_string()) return content.get_string().size();
  size_t n = 0;
  if (const auto* parts = content.if_array()) {
    for (const auto& part : *parts) {
      if (const auto* obj = part.if_object()) {
        if (const auto* text = obj->if_contains("text"); text && text->is_string()) {
          n += text->get_string().size();
        }
      } else if (part.is_string()) {
        n += part.get_string().size();
      }
    }
  }
  return n;
}

namespace {

constexpr std::array<std::string_view, 20> kWords = {
    "This", "is",         "a",    "mock",       "response",  "from",
    "the",  "Switchyard", "mock", "provider,",  "generated", "deterministically",
    "for",  "tests",      "and",  "benchmarks", "of",        "an",
    "LLM",  "gateway."};

}  // namespace

std::vector<std::string> answerTokens(const AnswerContext& ctx, int64_t limit, bool& truncated) {
  std::vector<std::string> tokens;
  truncated = false;
  if (ctx.content != nullptr) {
    // One token per word, each with its leading whitespace, as BPE tokens usually look.
    std::string_view text = *ctx.content;
    size_t start = 0;
    for (size_t i = 1; i <= text.size(); ++i) {
      bool boundary = i == text.size() || (text[i] == ' ' && text[i - 1] != ' ');
      if (boundary) {
        tokens.emplace_back(text.substr(start, i - start));
        start = i;
      }
    }
  } else {
    tokens.reserve(size_t(std::max(ctx.completionTokens, 0)));
    for (int i = 0; i < ctx.completionTokens; ++i) {
      std::string token = i == 0 ? "" : " ";
      token.append(kWords[size_t(i) % kWords.size()]);
      tokens.push_back(std::move(token));
    }
  }
  if (limit >= 0 && int64_t(tokens.size()) > limit) {
    tokens.resize(size_t(limit));
    truncated = true;
  }
  return tokens;
}

int64_t maxTokensOf(const boost::json::object& body) {
  for (std::string_view key : {"max_completion_tokens", "max_tokens"}) {
    if (const auto* v = body.if_contains(key)) {
      if (v->is_int64() && v->get_int64() >= 0) return v->get_int64();
      if (v->is_uint64()) return int64_t(std::min<uint64_t>(v->get_uint64(), 1u << 30));
    }
  }
  return -1;
}

bool streamOption(const boost::json::object& body, std::string_view name) {
  const auto* options = body.if_contains("stream_options");
  if (options == nullptr || !options->is_object()) return false;
  const auto* v = options->get_object().if_contains(name);
  return v != nullptr && v->is_bool() && v->get_bool();
}

}  // namespace switchyard::mock
