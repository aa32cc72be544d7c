#pragma once
// A whole OpenAI chat.completion → canonical events: what every provider's whole answer is
// turned into (after its adapter's translateResponse) when the client speaks another format or a
// stage watches the answer.

#include <string_view>

#include "api/events/stream_event.hpp"
#include "core/error.hpp"

namespace switchyard {

// Emits kUsage (when present), kStart, then per choice: reasoning, its signatures, text, refusal,
// tool calls with their arguments and the finish; then kEnd. A body that is not a chat.completion
// (no choices, a choice without a message, a tool call without a function name) is kBadUpstream,
// and nothing is emitted.
Result<void> decodeOpenAiAnswer(std::string_view body, EventSink& sink);

}  // namespace switchyard
