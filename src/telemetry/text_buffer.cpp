#include "telemetry/text_buffer.hpp"

#include <algorithm>
#include <array>
#include <cmath>

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

constexpr uint64_t kOnes = 0x0101010101010101ULL;
constexpr uint64_t kHighs = 0x8080808080808080ULL;

// Whether any of the 8 bytes in `w` is a control character, '"' or '\\' (word-at-a-time: the
// high bit of a byte of (x - ones) & ~x is set where x is zero, or below the subtrahend).
bool needsEscape(uint64_t w) {
  const uint64_t control = (w - kOnes * 0x20) & ~w;
  const uint64_t quote = w ^ (kOnes * '"');
  const uint64_t backslash = w ^ (kOnes * '\\');
  return ((control | ((quote - kOnes) & ~quote) | ((backslash - kOnes) & ~backslash)) & kHighs) !=
         0;
}

}  // namespace

char* putHex(char* p, const uint8_t* bytes, size_t n) {
  for (size_t i = 0; i < n; ++i, p += 2) std::memcpy(p, &kHexPairs[2 * size_t(bytes[i])], 2);
  return p;
}

char* putJsonEscaped(char* p, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  // Runs that need no escaping (nearly everything) are found 8 bytes at a time and copied in one
  // go.
  size_t run = 0;
  size_t i = 0;
  while (i < text.size()) {
    if (text.size() - i >= 8) {
      uint64_t w;
      std::memcpy(&w, text.data() + i, 8);
      if (!needsEscape(w)) {
        i += 8;
        continue;
      }
    }
    const auto u = static_cast<unsigned char>(text[i]);
    if (u >= 0x20 && u != '"' && u != '\\') {
      ++i;
      continue;
    }
    p = put(p, text.substr(run, i - run));
    run = ++i;
    *p++ = '\\';
    if (u == '"' || u == '\\') {
      *p++ = char(u);
    } else {
      p = put(p, "u00");
      *p++ = kHex[u >> 4];
      *p++ = kHex[u & 15];
    }
  }
  return put(p, text.substr(run));
}

char* putJsonNumber(char* p, double value) {
  if (!std::isfinite(value)) return put(p, "null");
  return std::to_chars(p, p + 24, value).ptr;
}

}  // namespace switchyard
