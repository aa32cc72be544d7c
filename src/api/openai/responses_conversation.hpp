#pragma once
// Stored Responses conversations (previous_response_id, GET /v1/responses/{id}/input_items): what
// a stored response holds, what continues it, and its input items a page at a time. Pure JSON
// work; the store itself is store/responses_store.hpp.

#include <boost/json/array.hpp>
#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "store/stored_response.hpp"

namespace switchyard::responses_state {

// The request's `input` as stored items (OpenAI's shape): a string is one user message; message
// items get `type: "message"`, string content becomes one input_text (output_text for the
// assistant) part; every item without an id gets one made from `responseId`.
boost::json::array inputItems(const boost::json::value& input, std::string_view responseId);

// The items of a stored response's whole conversation: its input items, then its output items.
Result<boost::json::array> conversationItems(const StoredResponse& r);

// `body` (a /v1/responses request) continuing `previous`: its input becomes the previous
// conversation followed by its own input, and previous_response_id is left out, so that every
// backend (and a Responses-native upstream that never saw the gateway's ids) gets the whole
// conversation. Ids and statuses of the earlier items are left out, and so are the reasoning
// items the gateway made (a summary no model can be handed back).
Result<std::string> continueConversation(std::string_view body, const StoredResponse& previous);

// The query of GET /v1/responses/{id}/input_items, decoded; absent parameters are nullopt.
struct PageQuery {
  std::optional<std::string> limit, order, after, before;
};

// The list object (object "list", data, first_id, last_id, has_more) of that query: limit 1-100
// (default 20), order asc | desc (default desc, newest first), after / before an item id.
Result<std::string> inputItemsPage(const StoredResponse& r, const PageQuery& query);

// The error of an id the caller has no stored response by (unknown, expired or another owner's):
// a 404 either way, in OpenAI's words.
Error responseNotFound(std::string_view id, bool previous);

}  // namespace switchyard::responses_state
