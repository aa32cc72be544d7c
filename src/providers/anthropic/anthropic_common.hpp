#pragma once
// Pieces of Anthropic's Messages API shared by the request, response and stream translators.

#include <boost/json/object.hpp>
#include <cstdint>
#include <string>
#include <string_view>

#include "api/request.hpp"
#include "core/json_escape.hpp"

namespace switchyard::anthropic {

// The tool forced on the model to answer in JSON (response_format), as LiteLLM names it. Its
// input becomes the message content instead of a tool call.
inline constexpr std::string_view kJsonToolName = "json_tool_call";

// Anthropic's token counts. Input, cache reads and cache writes are disjoint: OpenAI's
// prompt_tokens is their sum.
struct AnthropicUsage {
  bool present = false;
  int64_t input = 0;
  int64_t output = 0;
  int64_t cacheRead = 0;
  int64_t cacheCreation = 0;

  // Overwrites only the fields `usage` carries (message_delta repeats some, not all).
  void update(const boost::json::object& usage);
  void fill(Usage& out) const;
  // OpenAI's usage object, with Anthropic's cache counters kept alongside as LiteLLM does.
  boost::json::object toOpenAi() const;
};

// OpenAI finish_reason for an Anthropic stop_reason ("" for none yet).
std::string_view finishReasonFor(std::string_view stopReason);

// Whether the request asked for JSON output through response_format (and so got the JSON tool).
bool wantsJsonTool(const boost::json::object& openAiBody);

}  // namespace switchyard::anthropic
