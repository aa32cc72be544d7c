#pragma once
// Anthropic messages and system prompt → OpenAI chat messages, block by block.

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "api/anthropic/messages_request_fields.hpp"
#include "core/error.hpp"

namespace switchyard::anthropic_in {

// The OpenAI `messages` for a /v1/messages body's `messages` and its top-level `system` (null:
// none). Tool results come first in their user turn, as OpenAI wants them right after the
// assistant's tool_calls; thinking blocks are dropped. Blocks and sources only Anthropic knows go
// to `left`.
Result<boost::json::array> convertMessages(const boost::json::object& root,
                                           const boost::json::value* system, LeftOut& left);

}  // namespace switchyard::anthropic_in
