#include "telemetry/text_buffer.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include "core/word_bytes.hpp"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace switchyard {

void TextBuffer::grow(size_t n) {
  const size_t capacity = std::max(capacity_ * 2, size_ + n);
  auto data = std::make_unique_for_overwrite<char[]>(capacity);
  if (size_ > 0) std::memcpy(data.get(), data_.get(), size_);
  data_ = std::move(data);
  capacity_ = capacity;
}

namespace {

// Each byte's two lower-case hex digits.
constexpr auto kHexPairs = [] {
  std::array<char, 512> t{};
  constexpr char kHex[] = "0123456789abcdef";
  for (size_t i = 0; i < 256; ++i) {
    t[2 * i] = kHex[i >> 4];
    t[2 * i + 1] = kHex[i & 15];
  }
  return t;
}();

}  // namespace

char* putHex(char* p, const uint8_t* bytes, size_t n) {
#if defined(__SSE2__)
  // Sixteen or eight bytes at a time (trace ids are 16, span ids 8): each byte's two nibbles side
  // by side, each nibble turned into its digit, '0' + v or 'a' + v - 10.
  const __m128i low = _mm_set1_epi8(0x0f);
  const auto digits = [&](__m128i nibbles) {
    const __m128i letters =
        _mm_and_si128(_mm_cmpgt_epi8(nibbles, _mm_set1_epi8(9)), _mm_set1_epi8('a' - '0' - 10));
    return _mm_add_epi8(_mm_add_epi8(nibbles, _mm_set1_epi8('0')), letters);
  };
  for (; n >= 16; n -= 16, bytes += 16, p += 32) {
    const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(bytes));
    const __m128i high = _mm_and_si128(_mm_srli_epi16(b, 4), low);
    const __m128i lows = _mm_and_si128(b, low);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(p), digits(_mm_unpacklo_epi8(high, lows)));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(p + 16), digits(_mm_unpackhi_epi8(high, lows)));
  }
  if (n >= 8) {
    const __m128i b = _mm_loadl_epi64(reinterpret_cast<const __m128i*>(bytes));
    const __m128i nibbles =
        _mm_unpacklo_epi8(_mm_and_si128(_mm_srli_epi16(b, 4), low), _mm_and_si128(b, low));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(p), digits(nibbles));
    n -= 8;
    bytes += 8;
    p += 16;
  }
#endif
  for (size_t i = 0; i < n; ++i, p += 2) std::memcpy(p, &kHexPairs[2 * size_t(bytes[i])], 2);
  return p;
}

char* putJsonNumber(char* p, double value) {
  if (!std::isfinite(value)) return put(p, "null");
  return std::to_chars(p, p + 24, value).ptr;
}

}  // namespace switchyard
