#pragma once
// Base64 (RFC 4648) for what providers send and answer: JWTs (base64url), embeddings as
// little-endian float32 (OpenAI's encoding_format "base64").

#include <string>
#include <string_view>
#include <vector>

namespace switchyard::common {

// The standard alphabet, padded with '='.
std::string base64Encode(std::string_view bytes);
// The URL-safe alphabet ('-', '_'), unpadded, as JWTs (RFC 7515) use it.
std::string base64UrlEncode(std::string_view bytes);
// Each value as a little-endian IEEE float32, then base64: OpenAI's base64 embedding.
std::string base64Float32(const std::vector<double>& values);

}  // namespace switchyard::common
