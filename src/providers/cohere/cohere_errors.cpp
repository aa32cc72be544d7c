// Cohere error answers ({"message": ...} with an HTTP status) → Error.

#include <boost/json.hpp>

#include "core/text.hpp"
#include "providers/cohere/cohere_adapter.hpp"
#include "providers/common/errors.hpp"
#include "providers/common/json_fields.hpp"
#include "providers/openai/openai_errors.hpp"

namespace switchyard::cohere {

namespace json = boost::json;

Error classifyError(int status, std::string_view body, std::string_view retryAfter) {
  Error e;
  e.cls = classForStatus(status);
  e.status = common::gatewayStatus(status);
  if (status == 498) {  // Cohere: invalid API token
    e.cls = ErrorClass::kUnauthorized;
    e.status = 401;
  } else if (status == 499) {  // request cancelled upstream
    e.cls = ErrorClass::kUpstreamServer;
    e.status = 502;
  }
  std::string message;
  boost::system::error_code ec;
  json::value root = json::parse(body, ec);
  if (!ec && root.is_object()) message = common::stringField(root.get_object(), "message");
  if (message.empty()) {
    std::string_view excerpt = body.substr(0, 200);
    message = excerpt.empty() ? "(empty body)" : std::string(excerpt);
  }
  const std::string lower = asciiLower(message);
  if (contains(lower, "too many tokens") || contains(lower, "too long") ||
      contains(lower, "context length")) {
    e.cls = ErrorClass::kContextWindow;
    e.code = "context_length_exceeded";
  }
  common::finishUpstreamError(e, status, message, retryAfter);
  return e;
}

}  // namespace switchyard::cohere
