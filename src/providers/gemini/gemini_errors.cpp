// Google API errors ({"error":{"code","message","status","details"}}) → Error classes.

#include <cmath>
#include <cstdlib>
#include <string>

#include "core/text.hpp"
#include "providers/common/errors.hpp"
#include "providers/common/json_fields.hpp"
#include "providers/gemini/gemini_translate.hpp"
#include "providers/openai/openai_errors.hpp"

namespace switchyard {

namespace json = boost::json;
using namespace common;

namespace {

// google.rpc.RetryInfo's retryDelay ("34.4s") in whole seconds, rounded up.
int retryDelaySeconds(const json::object& err) {
  const auto* details = arrayField(err, "details");
  if (!details) return 0;
  for (const auto& d : *details) {
    const auto* detail = d.if_object();
    if (!detail || !stringField(*detail, "@type").ends_with("google.rpc.RetryInfo")) continue;
    const std::string delay(stringField(*detail, "retryDelay"));
    if (delay.empty() || delay.back() != 's') continue;
    char* end = nullptr;
    const double seconds = std::strtod(delay.c_str(), &end);
    if (end != delay.c_str() + delay.size() - 1 || !(seconds > 0) || seconds > 86400) continue;
    return static_cast<int>(std::ceil(seconds));
  }
  return 0;
}

struct StatusMapping {
  std::string_view status;
  ErrorClass cls;
  int httpStatus;
};

constexpr StatusMapping kStatuses[] = {
    {"INVALID_ARGUMENT", ErrorClass::kBadRequest, 400},
    {"FAILED_PRECONDITION", ErrorClass::kBadRequest, 400},
    {"OUT_OF_RANGE", ErrorClass::kBadRequest, 400},
    {"UNAUTHENTICATED", ErrorClass::kUnauthorized, 401},
    {"PERMISSION_DENIED", ErrorClass::kForbidden, 403},
    {"NOT_FOUND", ErrorClass::kNotFound, 404},
    {"RESOURCE_EXHAUSTED", ErrorClass::kRateLimited, 429},
    {"CANCELLED", ErrorClass::kUpstreamServer, 502},
    {"INTERNAL", ErrorClass::kUpstreamServer, 502},
    {"UNKNOWN", ErrorClass::kUpstreamServer, 502},
    {"UNAVAILABLE", ErrorClass::kUpstreamServer, 503},
    {"DEADLINE_EXCEEDED", ErrorClass::kTimeout, 504},
};

}  // namespace

Error classifyGoogleError(int status, std::string_view body, std::string_view retryAfter) {
  boost::system::error_code ec;
  json::value root = json::parse(body, ec);
  // Streaming endpoints wrap the error in an array.
  if (!ec && root.is_array() && !root.get_array().empty()) {
    json::value first = root.get_array()[0];
    root = std::move(first);
  }
  const json::object* err = nullptr;
  if (!ec && root.is_object()) err = objectField(root.get_object(), "error");
  if (!err) {
    // Not Google's shape (a proxy in between, an HTML page): classify by status alone.
    return classifyOpenAiError(status == 0 ? 502 : status, body, retryAfter);
  }
  if (status == 0) status = static_cast<int>(intField(*err, "code"));
  if (status < 400 || status > 599) status = 500;
  Error e = classifyOpenAiError(status, {}, retryAfter);
  const auto googleStatus = stringField(*err, "status");
  for (const auto& m : kStatuses) {
    if (m.status == googleStatus) {
      e.cls = m.cls;
      e.status = m.httpStatus;
    }
  }
  const std::string message(stringField(*err, "message"));
  if (contains(message, "exceeds the maximum number of tokens") ||
      contains(message, "input token count") || contains(message, "too many tokens")) {
    e.cls = ErrorClass::kContextWindow;
    e.status = 400;
    e.code = "context_length_exceeded";
  } else if (contains(message, "API key not valid") || contains(message, "API key expired")) {
    // Google answers a bad key with 400 INVALID_ARGUMENT; clients and the router treat it as auth.
    e.cls = ErrorClass::kUnauthorized;
    e.status = 401;
    e.code = "invalid_api_key";
  }
  if (e.code.empty() && !googleStatus.empty()) {
    e.code = asciiLower(googleStatus);
  }
  if (int delay = retryDelaySeconds(*err); delay > 0) e.retryAfterSeconds = delay;
  e.message = "Upstream returned HTTP " + std::to_string(status) + ": " +
              (message.empty() ? std::string(googleStatus) : message);
  return e;
}

}  // namespace switchyard
