// Answers to POST /v1/responses (OpenAI and Azure OpenAI's Responses API), whole or streamed:
// plain text, one function call (the first function tool, or tool_choice's, unless the input
// ends with a function_call_output), or JSON that fits text.format's json_schema.
#pragma once

#include "tools/mock-provider/openai_format.hpp"

#include <boost/beast/http/verb.hpp>
#include <boost/json/object.hpp>

namespace switchyard::mock {

Answer answerResponses(const boost::json::object& body, const AnswerContext& ctx);

// A response the mock "stores" (it keeps none): GET answers a completed one by that id, DELETE
// confirms, input_items lists none, cancel refuses as OpenAI does for a synchronous response.
Reply answerStoredResponse(boost::beast::http::verb method, std::string_view id,
                           std::string_view action, const AnswerContext& ctx);

}  // namespace switchyard::mock
