#pragma once
// Parses and validates an OpenAI-format request body. Checks only what the gateway relies on
// or what would otherwise become a confusing upstream error; everything else passes through.

#include <string_view>

#include "api/request.hpp"
#include "core/error.hpp"

namespace switchyard {

Result<ApiRequest> parseOpenAiRequest(Endpoint endpoint, std::string_view body);

}  // namespace switchyard
