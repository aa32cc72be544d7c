#pragma once
// The client's text of a /v1/messages body, for an Anthropic upstream that is sent it as it came:
// where the model's value is, and the members the gateway owns (the routing fields).

#include <string_view>

#include "api/request.hpp"

namespace switchyard::anthropic_in {

// `body` is a JSON object that parsed; the result is located. It is empty when the text cannot be
// trusted to say what the parsed body says (a top-level member named twice, or a name with
// escapes) or has no model: the request is then encoded again from the canonical body.
ClientText clientTextOf(std::string_view body);

}  // namespace switchyard::anthropic_in
