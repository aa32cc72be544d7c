#include "providers/openai/openai_errors.hpp"

#include <boost/json.hpp>

#include "core/text.hpp"
#include "providers/common/errors.hpp"
#include "providers/common/json_fields.hpp"

namespace switchyard {

namespace json = boost::json;
using common::stringField;

ErrorClass classForStatus(int status) {
  switch (status) {
    case 400:
    case 422:
      return ErrorClass::kBadRequest;
    case 401:
      return ErrorClass::kUnauthorized;
    case 403:
      return ErrorClass::kForbidden;
    case 404:
      return ErrorClass::kNotFound;
    case 408:
    case 504:
      return ErrorClass::kTimeout;
    case 413:
      return ErrorClass::kPayloadTooLarge;
    case 429:
      return ErrorClass::kRateLimited;
    default:
      break;
  }
  if (status >= 500) return ErrorClass::kUpstreamServer;
  return ErrorClass::kBadUpstream;
}

Error classifyOpenAiError(int status, std::string_view body, std::string_view retryAfter) {
  Error e;
  e.cls = classForStatus(status);
  e.status = common::gatewayStatus(status);
  boost::system::error_code ec;
  json::value root = json::parse(body, ec);
  const json::object* err = nullptr;
  if (!ec && root.is_object()) {
    if (const auto* v = root.get_object().if_contains("error"); v && v->is_object()) {
      err = &v->get_object();
    }
  }
  std::string upstreamMessage;
  if (err) {
    upstreamMessage = stringField(*err, "message");
    e.code = stringField(*err, "code");
    e.param = stringField(*err, "param");
    const std::string_view type = stringField(*err, "type");
    if (e.code == "context_length_exceeded" ||
        contains(upstreamMessage, "maximum context length")) {
      e.cls = ErrorClass::kContextWindow;
    } else if (e.code == "content_filter" || e.code == "content_policy_violation" ||
               type == "content_filter") {
      e.cls = ErrorClass::kContentPolicy;
    }
  } else if (!ec && root.is_object()) {
    upstreamMessage = stringField(root.get_object(), "message");
  }
  if (upstreamMessage.empty()) {
    std::string_view excerpt = body.substr(0, 200);
    upstreamMessage = excerpt.empty() ? "(empty body)" : std::string(excerpt);
  }
  common::finishUpstreamError(e, status, upstreamMessage, retryAfter);
  return e;
}

}  // namespace switchyard
