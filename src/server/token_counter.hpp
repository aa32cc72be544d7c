#pragma once
// Counting tokens in the gateway: which model (and so which tokenizer) a requested name means,
// and LiteLLM's POST /utils/token_counter.

#include <memory>
#include <string>
#include <string_view>

#include "config/snapshot.hpp"
#include "core/async.hpp"
#include "server/http_request.hpp"
#include "tokenizer/encoding.hpp"

namespace switchyard {

class Responder;

struct ModelTokenizer {
  std::string model;                              // the model counted for (LiteLLM's model_used)
  const tokenizer::Encoding* encoding = nullptr;  // null: no tokenizer for its family
};

// A model group (or an alias of one) means its first deployment's model, as in LiteLLM: the
// deployment's model_info.base_model (an Azure deployment's real model) when set, else its
// litellm_params.model without the provider prefix. A name a wildcard route serves
// ("openai/gpt-4o") means the name after the prefix; any other name means itself.
ModelTokenizer modelTokenizer(const Snapshot& snapshot, std::string_view requested);

// POST /utils/token_counter: {"total_tokens", "request_model", "model_used", "tokenizer_type"}
// ("openai_tokenizer", or "character_estimate" for families without a tokenizer here); errors in
// OpenAI's format.
Task<void> tokenCounter(const Snapshot& snapshot, const HttpRequest& request, Responder& responder);

}  // namespace switchyard
