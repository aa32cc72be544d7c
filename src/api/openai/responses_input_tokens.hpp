#pragma once
// POST /v1/responses/input_tokens: how many input tokens a Responses request would use, counted
// by the gateway (the backend is not asked) with the backend family's tokenizer or as an estimate
// (TokenTally, api/token_count.hpp): instructions, input text, function calls and their outputs,
// tool definitions and images, in OpenAI's chat framing. Answers
// {"object": "response.input_tokens", "input_tokens": N}.

#include <string>
#include <string_view>

#include "core/error.hpp"

namespace switchyard {

class TokenTally;

// The body is a /v1/responses body (checked as for POST /v1/responses: its 400s).
Result<std::string> countResponsesInputTokens(std::string_view body, TokenTally& tally);

}  // namespace switchyard
