#pragma once
// LiteLLM's POST /utils/token_counter: {"model", "prompt"} or {"model", "messages"} (an OpenAI
// chat conversation) → how many tokens the model would read. A prompt counts as its text; messages
// as OpenAI's chat format frames them (api/token_count.hpp), as LiteLLM's token_counter does.

#include <boost/json/value.hpp>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace switchyard {

class TokenTally;

struct TokenCounterRequest {
  std::string model;
  boost::json::value body;  // the parsed body: an object with a prompt or messages
};

// 400 for a body that is not a JSON object with a string model and a prompt (string or list of
// strings) or messages (a list of objects).
Result<TokenCounterRequest> parseTokenCounterRequest(std::string_view body);

// Counts the request's prompt (when it has one) or messages into `tally`.
void countTokenCounterInput(const TokenCounterRequest& request, TokenTally& tally);

}  // namespace switchyard
