#pragma once
// What every provider's error classification ends with, whatever the body's format.

#include <string_view>

#include "core/error.hpp"

namespace switchyard {

// Sets the message clients see ("Upstream returned HTTP 429: <the provider's message>") and the
// Retry-After seconds, when the header holds a positive whole number.
void finishUpstreamError(Error& e, int status, std::string_view message,
                         std::string_view retryAfter);

}  // namespace switchyard
