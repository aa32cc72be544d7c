// AWS runtime error answers (Bedrock, SageMaker): an HTTP status with {"message": ...} or
// {"Message": ...} (the exception name travels in the x-amzn-errortype header, which the adapter
// interface does not pass on, so the class comes from the status and the message).

#include "providers/common/aws_errors.hpp"
#include "core/text.hpp"
#include "providers/common/errors.hpp"
#include "providers/common/json_fields.hpp"
#include "providers/openai/openai_errors.hpp"

namespace switchyard::aws {

namespace json = boost::json;

namespace {

std::string messageOf(std::string_view body) {
  boost::system::error_code ec;
  json::value root = json::parse(body, ec);
  if (!ec && root.is_object()) {
    for (std::string_view key : {"message", "Message"}) {
      if (auto m = common::stringField(root.get_object(), key); !m.empty()) {
        return std::string(m);
      }
    }
  }
  std::string_view excerpt = body.substr(0, 200);
  return excerpt.empty() ? "(empty body)" : std::string(excerpt);
}

// Refines a status-based class from the message, which names what AWS's error type would.
// Throttling says "Too many tokens, please wait", so only a validation failure can mean the
// prompt is too long.
void refine(Error& e, int status, const std::string& message) {
  const std::string m = asciiLower(message);
  const bool validation = status == 400 || status == 413;
  if (validation && (contains(m, "too long") || contains(m, "context window") ||
                     contains(m, "context length") || contains(m, "too many input tokens"))) {
    e.cls = ErrorClass::kContextWindow;
    e.code = "context_length_exceeded";
  } else if (contains(m, "security token") || contains(m, "signature") ||
             contains(m, "credential") || contains(m, "access key")) {
    e.cls = ErrorClass::kUnauthorized;
    e.status = 401;
  } else if (contains(m, "guardrail") || contains(m, "content filter")) {
    e.cls = ErrorClass::kContentPolicy;
  }
}

}  // namespace

Error classifyError(int status, std::string_view body, std::string_view retryAfter) {
  Error e;
  e.cls = classForStatus(status);
  e.status = common::gatewayStatus(status);
  if (status == 424) {
    // Bedrock's ModelErrorException, SageMaker's ModelError: the model itself failed to answer.
    e.cls = ErrorClass::kUpstreamServer;
    e.status = 502;
  }
  const std::string message = messageOf(body);
  refine(e, status, message);
  common::finishUpstreamError(e, status, message, retryAfter);
  return e;
}

Error streamException(std::string_view exceptionType, std::string_view payload) {
  int status = 500;
  const std::string type = asciiLower(exceptionType);
  if (type == "throttlingexception" || type == "modelnotreadyexception") {
    status = 429;
  } else if (type == "validationexception") {
    status = 400;
  } else if (type == "serviceunavailableexception") {
    status = 503;
  } else if (type == "modeltimeoutexception") {
    status = 408;
  } else if (type == "accessdeniedexception") {
    status = 403;
  }
  Error e = classifyError(status, payload, {});
  e.message =
      "Upstream stream failed with " + std::string(exceptionType) + ": " + messageOf(payload);
  return e;
}

}  // namespace switchyard::aws
