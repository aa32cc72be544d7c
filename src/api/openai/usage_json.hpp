#pragma once
// OpenAI's `usage` object as the gateway writes it for any upstream.

#include <string>

#include "api/request.hpp"

namespace switchyard {

// {"prompt_tokens","completion_tokens","total_tokens","prompt_tokens_details":{"cached_tokens"},
//  "completion_tokens_details":{"reasoning_tokens"}}, plus LiteLLM's cache_creation_input_tokens
// and cache_read_input_tokens when the provider reported prompt-cache writes.
void appendOpenAiUsage(std::string& out, const Usage& u);

}  // namespace switchyard
