// Answers to POST /v1/embeddings: deterministic unit vectors derived from a hash of each input.
#pragma once

#include "tools/mock-provider/openai_format.hpp"

#include <boost/json/object.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace switchyard::mock {

Reply answerEmbeddings(const boost::json::object& body, const std::string& modelOverride);

// The unit vector of one input (its text, or its token ids as bytes).
std::vector<float> embeddingFor(std::string_view input, size_t dimensions);
// Little-endian float32 array, base64-encoded, as OpenAI's encoding_format "base64".
std::string base64Floats(const std::vector<float>& vector);

}  // namespace switchyard::mock
