#include "providers/common/errors.hpp"

#include <boost/json.hpp>
#include <charconv>

namespace switchyard::common {

Error badUpstream(std::string message) {
  return Error::make(ErrorClass::kBadUpstream, std::move(message), {}, "bad_upstream_response");
}

Result<boost::json::object> parseObjectBody(std::string_view body) {
  boost::system::error_code ec;
  boost::json::value root = boost::json::parse(body, ec);
  if (ec || !root.is_object()) {
    return badUpstream("The upstream answered with a body that is not a JSON object.");
  }
  return std::move(root.get_object());
}

Error badRequest(std::string message, std::string param) {
  return Error::make(ErrorClass::kBadRequest, std::move(message), std::move(param),
                     "invalid_request_error");
}

Error unsupportedParam(std::string_view provider, std::string_view param) {
  return Error::make(ErrorClass::kBadRequest,
                     std::string(provider) + " does not support the parameter '" +
                         std::string(param) +
                         "'. Set drop_params: true to drop unsupported parameters instead.",
                     std::string(param), "unsupported_parameter");
}

int gatewayStatus(int upstreamStatus) {
  if (upstreamStatus >= 400 && upstreamStatus < 500) return upstreamStatus;
  return upstreamStatus == 503 || upstreamStatus == 529 ? 503 : 502;
}

void finishUpstreamError(Error& e, int status, std::string_view message,
                         std::string_view retryAfter) {
  e.message = "Upstream returned HTTP " + std::to_string(status) + ": " + std::string(message);
  int seconds = 0;
  auto [p, rc] = std::from_chars(retryAfter.data(), retryAfter.data() + retryAfter.size(), seconds);
  if (!retryAfter.empty() && rc == std::errc{} && seconds > 0) e.retryAfterSeconds = seconds;
}

}  // namespace switchyard::common
