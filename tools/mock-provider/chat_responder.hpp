// Answers to POST /v1/chat/completions, in OpenAI's format (plain text or one tool call).
#pragma once

#include "tools/mock-provider/openai_format.hpp"

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <optional>
#include <string>

namespace switchyard::mock {

Answer answerChat(const boost::json::object& body, const AnswerContext& ctx);

// The tool the answer calls: tool_choice's forced function, else the first tool; none when the
// request has no tools or tool_choice is "none".
struct ToolCall {
  std::string name;
  std::string arguments;  // serialized JSON object
};
std::optional<ToolCall> chooseToolCall(const boost::json::object& body);

// A value that satisfies a JSON schema: every required property gets a value of its type.
boost::json::value valueForSchema(const boost::json::value& schema, int depth = 0);

}  // namespace switchyard::mock
