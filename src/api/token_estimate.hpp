#pragma once
// The gateway's token estimate where it has no tokenizer for the backend (count_tokens and
// responses/input_tokens, each marked as an estimate): a token per four characters of text, and
// per image Anthropic's cost of a ~1.15 megapixel image. One rule, so both endpoints agree.

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace switchyard::token_estimate {

inline constexpr int64_t kImageTokens = 1600;

// Characters as Unicode code points: UTF-8 bytes that do not continue a sequence.
inline size_t codePoints(std::string_view s) {
  size_t n = 0;
  for (const char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

inline int64_t tokens(size_t chars, int64_t images) {
  return static_cast<int64_t>((chars + 3) / 4) + images * kImageTokens;
}

}  // namespace switchyard::token_estimate
