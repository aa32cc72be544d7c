#pragma once
// Anthropic Messages response → OpenAI chat.completion.

#include <string>
#include <string_view>

#include "api/request.hpp"
#include "core/error.hpp"

namespace switchyard::anthropic {

// `jsonTool`: the request asked for JSON through response_format, so the JSON tool's input is
// the answer's content.
Result<std::string> toChatCompletion(std::string_view body, bool jsonTool, Usage& usage);

}  // namespace switchyard::anthropic
