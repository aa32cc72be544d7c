// Answers to POST /v1/responses (OpenAI and Azure OpenAI's Responses API), whole or streamed:
// plain text, one function call (the first function tool, or tool_choice's, unless the input
// ends with a function_call_output), or JSON that fits text.format's json_schema.
#pragma once

#include "tools/mock-provider/openai_format.hpp"

#include <boost/json/object.hpp>

namespace switchyard::mock {

Answer answerResponses(const boost::json::object& body, const AnswerContext& ctx);

}  // namespace switchyard::mock
