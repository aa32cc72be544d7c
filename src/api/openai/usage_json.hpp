#pragma once
// OpenAI's `usage` object as the gateway writes it for any upstream.

#include <boost/json/object.hpp>
#include <string>

#include "api/request.hpp"

namespace switchyard {

// {"prompt_tokens","completion_tokens","total_tokens","prompt_tokens_details":{"cached_tokens"},
//  "completion_tokens_details":{"reasoning_tokens"}}, plus the prompt-cache writes where the
// provider reported some (prompt_tokens_details.cache_creation_tokens, and LiteLLM's
// cache_creation_input_tokens / cache_read_input_tokens).
boost::json::object openAiUsageJson(const Usage& u);
// The same, appended as JSON text.
void appendOpenAiUsage(std::string& out, const Usage& u);

}  // namespace switchyard
