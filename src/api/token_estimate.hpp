#pragma once
// The gateway's token estimate where it has no tokenizer for the backend (count_tokens and
// responses/input_tokens, each marked as an estimate): a token per four characters of text, and
// per image Anthropic's cost of a ~1.15 megapixel image. One rule, so both endpoints agree.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/text.hpp"

namespace switchyard::token_estimate {

inline constexpr int64_t kImageTokens = 1600;

// Characters as Unicode code points.
inline size_t codePoints(std::string_view s) { return utf8CodePoints(s); }

inline int64_t tokens(size_t chars, int64_t images) {
  return static_cast<int64_t>((chars + 3) / 4) + images * kImageTokens;
}

}  // namespace switchyard::token_estimate
