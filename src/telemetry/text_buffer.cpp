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

namespace {

// The eight decimal digits of v < 10^8, zero-padded, in one word (first digit in the lowest byte)
// with a few multiplications instead of a division per two digits: the number is split into
// halves of four digits (one per 32-bit lane), each half into two of two digits (16-bit lanes),
// each of those into two digits (bytes). The divisions by 100 and 10 are multiplications and
// shifts that are exact in these ranges (t * 10486 >> 20 == t / 100 for t < 10^4, t * 103 >> 10
// == t / 10 for t < 100), and no lane's product reaches the next lane.
uint64_t eightDigits(uint32_t v) {
  uint64_t t = uint64_t(v / 10000) | (uint64_t(v % 10000) << 32);
  const uint64_t hundreds = ((t * 10486) >> 20) & 0x0000007F'0000007FULL;
  t = hundreds | ((t - hundreds * 100) << 16);
  const uint64_t tens = ((t * 103) >> 10) & 0x000F000F'000F000FULL;
  t = tens | ((t - tens * 10) << 8);
  return t + 0x30303030'30303030ULL;  // '0' in every byte
}

char* putEightDigits(char* p, uint64_t v) {
  const uint64_t digits = eightDigits(uint32_t(v));
  std::memcpy(p, &digits, 8);
  return p + 8;
}

}  // namespace

char* putLongInt(char* p, int64_t v) {
  uint64_t u = uint64_t(v);
  if (v < 0) {
    *p++ = '-';
    u = 0 - u;  // also right for INT64_MIN
  }
  constexpr uint64_t kEight = 100'000'000;
  if (u < kEight) return std::to_chars(p, p + 8, u).ptr;
  const uint64_t low = u % kEight;
  u /= kEight;
  if (u < kEight) {
    p = std::to_chars(p, p + 8, u).ptr;
  } else {
    p = std::to_chars(p, p + 4, u / kEight).ptr;  // u < 2^64 / 10^8 < 10^12: four digits left
    p = putEightDigits(p, u % kEight);
  }
  return putEightDigits(p, low);
}

char* putJsonNumber(char* p, double value) {
  if (!std::isfinite(value)) return put(p, "null");
  return std::to_chars(p, p + 24, value).ptr;
}

}  // namespace switchyard
