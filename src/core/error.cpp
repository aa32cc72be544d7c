#include "core/error.hpp"

#include <boost/json.hpp>
#include <stdexcept>

namespace switchyard {

int defaultStatus(ErrorClass cls) {
  switch (cls) {
    case ErrorClass::kBadRequest:
      return 400;
    case ErrorClass::kUnauthorized:
      return 401;
    case ErrorClass::kForbidden:
      return 403;
    case ErrorClass::kNotFound:
      return 404;
    case ErrorClass::kPayloadTooLarge:
      return 413;
    case ErrorClass::kRateLimited:
      return 429;
    case ErrorClass::kTimeout:
      return 504;
    case ErrorClass::kConnectFailed:
      return 502;
    case ErrorClass::kBadUpstream:
      return 502;
    case ErrorClass::kUpstreamServer:
      return 502;
    case ErrorClass::kContextWindow:
      return 400;
    case ErrorClass::kContentPolicy:
      return 400;
    case ErrorClass::kUnavailable:
      return 503;
    case ErrorClass::kInternal:
      return 500;
  }
  return 500;
}

std::string_view errorClassName(ErrorClass cls) {
  switch (cls) {
    case ErrorClass::kBadRequest:
      return "bad_request";
    case ErrorClass::kUnauthorized:
      return "unauthorized";
    case ErrorClass::kForbidden:
      return "forbidden";
    case ErrorClass::kNotFound:
      return "not_found";
    case ErrorClass::kPayloadTooLarge:
      return "payload_too_large";
    case ErrorClass::kRateLimited:
      return "rate_limited";
    case ErrorClass::kTimeout:
      return "timeout";
    case ErrorClass::kConnectFailed:
      return "connect_failed";
    case ErrorClass::kBadUpstream:
      return "bad_upstream";
    case ErrorClass::kUpstreamServer:
      return "upstream_server";
    case ErrorClass::kContextWindow:
      return "context_window_exceeded";
    case ErrorClass::kContentPolicy:
      return "content_policy";
    case ErrorClass::kUnavailable:
      return "unavailable";
    case ErrorClass::kInternal:
      return "internal";
  }
  return "internal";
}

Error Error::make(ErrorClass cls, std::string message, std::string param, std::string code) {
  Error e;
  e.cls = cls;
  e.status = defaultStatus(cls);
  e.message = std::move(message);
  e.param = std::move(param);
  e.code = std::move(code);
  return e;
}

std::string_view Error::openAiType() const {
  switch (cls) {
    case ErrorClass::kBadRequest:
    case ErrorClass::kNotFound:
    case ErrorClass::kPayloadTooLarge:
    case ErrorClass::kContextWindow:
    case ErrorClass::kContentPolicy:
      return "invalid_request_error";
    case ErrorClass::kUnauthorized:
    case ErrorClass::kForbidden:
      return "authentication_error";
    case ErrorClass::kRateLimited:
      return "rate_limit_error";
    case ErrorClass::kTimeout:
      return "timeout_error";
    case ErrorClass::kConnectFailed:
    case ErrorClass::kBadUpstream:
    case ErrorClass::kUpstreamServer:
      return "upstream_error";
    case ErrorClass::kUnavailable:
      return "service_unavailable";
    case ErrorClass::kInternal:
      return "internal_error";
  }
  return "internal_error";
}

std::string Error::toOpenAiJson() const {
  boost::json::object err;
  err["message"] = message;
  err["type"] = openAiType();
  err["param"] = param.empty() ? boost::json::value(nullptr) : boost::json::value(param);
  err["code"] = code.empty() ? boost::json::value(nullptr) : boost::json::value(code);
  boost::json::object root;
  root["error"] = std::move(err);
  return boost::json::serialize(root);
}

std::string Error::toAnthropicJson() const {
  std::string_view type = "api_error";
  switch (cls) {
    case ErrorClass::kBadRequest:
    case ErrorClass::kContextWindow:
    case ErrorClass::kContentPolicy:
      type = "invalid_request_error";
      break;
    case ErrorClass::kUnauthorized:
      type = "authentication_error";
      break;
    case ErrorClass::kForbidden:
      type = "permission_error";
      break;
    case ErrorClass::kNotFound:
      type = "not_found_error";
      break;
    case ErrorClass::kPayloadTooLarge:
      type = "request_too_large";
      break;
    case ErrorClass::kRateLimited:
      type = "rate_limit_error";
      break;
    case ErrorClass::kUnavailable:
    case ErrorClass::kUpstreamServer:
      type = "overloaded_error";
      break;
    default:
      break;
  }
  boost::json::object root;
  root["type"] = "error";
  root["error"] = boost::json::object{{"type", type}, {"message", message}};
  return boost::json::serialize(root);
}

bool Error::retryable() const {
  switch (cls) {
    case ErrorClass::kRateLimited:
    case ErrorClass::kTimeout:
    case ErrorClass::kConnectFailed:
    case ErrorClass::kBadUpstream:
    case ErrorClass::kUpstreamServer:
    case ErrorClass::kUnavailable:
      return true;
    default:
      return false;
  }
}

void throw_exception_from_error(const Error& e, const boost::source_location&) {
  throw std::runtime_error(std::string(errorClassName(e.cls)) + ": " + e.message);
}

}  // namespace switchyard
