#pragma once
// The Responses API's conversation (`instructions` and `input`: a string, or a list of message,
// function_call, function_call_output and reasoning items) as chat-completions messages.

#include <boost/json/array.hpp>
#include <boost/json/value.hpp>

#include "api/openai/responses_request_fields.hpp"

namespace switchyard::responses_in {

// Messages in order: instructions as the system message, each input message in its role
// (developer as system), an assistant message's following function_call items as its tool_calls,
// each function_call_output as a tool message. Reasoning items are dropped (chat-format backends
// reject reasoning in input); items and parts only the Responses API knows (file ids, hosted
// tool calls, item references) are noted in `left`. `input` is at path "input".
Result<boost::json::array> convertInput(const boost::json::value& input,
                                        const boost::json::value* instructions, LeftOut& left);

}  // namespace switchyard::responses_in
