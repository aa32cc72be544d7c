#include "telemetry/text_buffer.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include "core/word_bytes.hpp"

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
  for (size_t i = 0; i < n; ++i, p += 2) std::memcpy(p, &kHexPairs[2 * size_t(bytes[i])], 2);
  return p;
}

char* putJsonNumber(char* p, double value) {
  if (!std::isfinite(value)) return put(p, "null");
  return std::to_chars(p, p + 24, value).ptr;
}

}  // namespace switchyard
