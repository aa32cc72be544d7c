#pragma once
// POST /v1/responses/input_tokens: how many input tokens a Responses request would use, as an
// ESTIMATE (the gateway does not ask the backend): one token per four characters (Unicode code
// points) of instructions, input text, function calls and their outputs and tool definitions,
// plus a flat 1600 per image. Answers {"object": "response.input_tokens", "input_tokens": N}.

#include <string>
#include <string_view>

#include "core/error.hpp"

namespace switchyard {

// The body is a /v1/responses body (checked as for POST /v1/responses: its 400s).
Result<std::string> responsesInputTokensEstimate(std::string_view body);

}  // namespace switchyard
