#pragma once
// The tokens of an OpenAI chat conversation, counted as OpenAI's chat format frames it
// (api/token_count.hpp): what /utils/token_counter answers and what the context-window check and
// middle-out weigh, so that they agree on every message.

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

namespace switchyard {

class TokenTally;

// One message: its framing, role, text and image parts, name, tool_call_id and tool calls.
void countChatMessage(const boost::json::object& message, TokenTally& tally);
// A request's tool definitions, as the JSON text they are rendered from (approximate).
void countChatTools(const boost::json::array& tools, TokenTally& tally);

}  // namespace switchyard
