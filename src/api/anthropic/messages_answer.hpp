#pragma once
// What the whole-answer and the stream encoders of the Anthropic Messages format share.

#include <string>
#include <string_view>
#include <vector>

#include "api/anthropic/anthropic_mapping.hpp"
#include "api/request.hpp"

namespace switchyard {

// The request's stop sequences (OpenAI `stop`: a string or a list).
std::vector<std::string> stopSequencesOf(const ApiRequest& req);
// Anthropic's stop_reason for an answer that ended with `finishReason` (OpenAI's words).
std::string_view stopReason(std::string_view finishReason, bool toolCalls, bool refusal,
                            bool stopSequence);
// "msg_..." for the upstream's answer id (kept as it is when it already is one).
std::string messageId(std::string_view upstreamId);
// The gateway's token counts in Anthropic's split (input excludes cache reads and writes).
anthropic_map::AnthropicTokenCounts anthropicCounts(const Usage& u);

}  // namespace switchyard
