#pragma once
// Classifies Anthropic's error answers: {"type":"error","error":{"type":..,"message":..}}.

#include <string_view>

#include "core/error.hpp"

namespace switchyard::anthropic {

// A non-2xx answer.
Error classifyError(int status, std::string_view body, std::string_view retryAfter);

// An `error` event inside a stream (which arrives after a 200): the class comes from the type.
Error streamError(std::string_view type, std::string_view message);

}  // namespace switchyard::anthropic
