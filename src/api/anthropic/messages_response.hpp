#pragma once
// Inbound Anthropic Messages API, answer side: a whole OpenAI-format answer (chat.completion)
// translated to Anthropic's format. Streams: messages_stream_encoder.hpp.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "api/anthropic/anthropic_mapping.hpp"
#include "api/request.hpp"
#include "core/error.hpp"

namespace switchyard {

// chat.completion JSON → Anthropic Message JSON: thinking (reasoning_content), text (content or
// refusal) and tool_use (input parsed from the arguments) blocks, stop_reason, usage in
// Anthropic's split (input_tokens excludes cached tokens). `model` is the client's model name.
// Upstream bodies that are not a chat.completion, or tool arguments that are not a JSON object,
// are kBadUpstream errors.
Result<std::string> encodeAnthropicResponse(const ApiRequest& req, std::string_view openAiBody);

}  // namespace switchyard
