#pragma once
// AWS runtime services' errors (Bedrock, SageMaker): HTTP error answers and the exceptions an
// event stream delivers, classified for the router.

#include <string_view>

#include "core/error.hpp"

namespace switchyard::aws {

Error classifyError(int status, std::string_view body, std::string_view retryAfter);
// An exception delivered inside the event stream (":message-type" exception).
Error streamException(std::string_view exceptionType, std::string_view payload);

}  // namespace switchyard::aws
