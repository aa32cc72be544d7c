#pragma once
// The errors every provider translator raises, and what every upstream error classification
// ends with, whatever the provider's error format.

#include <boost/json/object.hpp>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace switchyard::common {

// The upstream answered something the translator cannot read.
Error badUpstream(std::string message);
// An upstream answer parsed as a JSON object, or the bad-upstream error saying it is not one.
Result<boost::json::object> parseObjectBody(std::string_view body);

// The client's request cannot be translated (400, invalid_request_error).
Error badRequest(std::string message, std::string param = {});
// A parameter the provider cannot honour (refused unless drop_params).
Error unsupportedParam(std::string_view provider, std::string_view param);

// The status the client sees for an upstream error status: 4xx are the client's business and
// pass through; 5xx (and anything else) become 502, except "overloaded" (503, Anthropic's 529),
// which clients know to retry later, so it stays 503.
int gatewayStatus(int upstreamStatus);

// Sets the message clients see ("Upstream returned HTTP 429: <the provider's message>") and the
// Retry-After seconds, when the header holds a positive whole number.
void finishUpstreamError(Error& e, int status, std::string_view message,
                         std::string_view retryAfter);

}  // namespace switchyard::common
