#pragma once
// Classifies an upstream error answer in OpenAI's format (the shape most providers copy).

#include <string_view>

#include "core/error.hpp"

namespace switchyard {

Error classifyOpenAiError(int status, std::string_view body, std::string_view retryAfter);

// Class for a status when the body says nothing more specific.
ErrorClass classForStatus(int status);

}  // namespace switchyard
