// Answers to POST /v1/messages in Anthropic's Messages format: text, or a tool_use block when
// the request has tools, optionally preceded by a thinking block; whole or as an SSE stream with
// `event:` lines, and Anthropic-shaped errors.
#pragma once

#include "tools/mock-provider/openai_format.hpp"

#include <boost/beast/http/fields.hpp>
#include <boost/json/object.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace switchyard::mock {

Answer answerAnthropicMessages(const boost::json::object& body, const AnswerContext& ctx);
// POST /v1/messages/count_tokens: {"input_tokens": N}, counted the way the answers count them.
Reply answerAnthropicCountTokens(const boost::json::object& body);

// {"type":"error","error":{"type":..,"message":..}}; the type defaults to the status's.
Reply anthropicErrorReply(unsigned status, std::string_view message, std::string_view type = {});
// The canned answer to a forced error status, as Anthropic words it (529: overloaded_error).
Reply anthropicStatusReply(unsigned status, int retryAfterSeconds);
// A 401 when the mock requires a key and x-api-key does not carry it; nullopt otherwise.
std::optional<Reply> anthropicAuthFailure(const boost::beast::http::fields& headers,
                                          const std::string& requiredKey);

}  // namespace switchyard::mock
