#pragma once
// OpenAI chat-completions body → Anthropic Messages API body.

#include <boost/json/object.hpp>
#include <string_view>

#include "config/snapshot.hpp"
#include "core/error.hpp"

namespace switchyard::anthropic {

// max_tokens Anthropic gets when the client set none (the API requires one).
int64_t defaultMaxTokens(std::string_view model);

// Translates the request; parameters Anthropic cannot honour are refused with a 400 naming them,
// or dropped when the deployment has drop_params.
Result<boost::json::object> toMessagesRequest(const boost::json::object& openAi,
                                              const Deployment& d, bool stream);

}  // namespace switchyard::anthropic
