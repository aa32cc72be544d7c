#pragma once
// Which of OpenAI's encodings a model uses, from its name (as tiktoken's model table says, by
// prefix so that dated and new variants follow their family): o200k_base for gpt-4o, gpt-4.1,
// gpt-4.5, gpt-5, the o-series, chatgpt-4o and gpt-oss; cl100k_base for gpt-4, gpt-3.5-turbo
// and the embedding models. Provider prefixes ("openai/", "azure/", "openrouter/openai/") and a
// fine-tune's "ft:" are ignored; case does not matter.

#include <string_view>

#include "tokenizer/encoding.hpp"

namespace switchyard::tokenizer {

// Null for models of other families (Claude, Gemini, Llama, ...): no exact tokenizer here.
const Encoding* encodingForModel(std::string_view model);

}  // namespace switchyard::tokenizer
