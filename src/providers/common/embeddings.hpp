#pragma once
// OpenAI's embeddings list, for translators from providers with their own embedding answers.

#include <boost/json.hpp>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace switchyard::common {

// {"object":"list","data":data,"model":model,"usage":{"prompt_tokens","total_tokens"}}, where
// each of `data` is an embeddingItem.
std::string embeddingList(boost::json::array data, std::string_view model, int64_t promptTokens,
                          int64_t totalTokens);
// {"object":"embedding","index":index,"embedding":embedding}
boost::json::object embeddingItem(size_t index, boost::json::value embedding);
// The list for `vectors`: float arrays, or with `base64` little-endian float32 in base64 as
// encoding_format "base64" asks. Embeddings cost no completion: total is the prompt.
std::string embeddingList(const std::vector<std::vector<double>>& vectors, std::string_view model,
                          bool base64, int64_t promptTokens);

// An OpenAI embeddings body's `input` as texts, for providers that take text only: a string or a
// non-empty array of strings; token arrays are a 400 naming `provider`.
Result<boost::json::array> embeddingTexts(const boost::json::object& body,
                                          std::string_view provider);

// The vectors of an answer's list of embeddings; a 502 when one is not an array of numbers.
Result<std::vector<std::vector<double>>> readVectors(const boost::json::array& list);

// Reads a JSON array of numbers; false when it is not one.
bool readVector(const boost::json::value& v, std::vector<double>& out);
bool readVector(const boost::json::array& values, std::vector<double>& out);

}  // namespace switchyard::common
