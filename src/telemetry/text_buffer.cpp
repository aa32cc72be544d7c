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

// Whether any of the 8 bytes in `w` is a control character, '"' or '\\'.
bool needsEscape(uint64_t w) {
  using namespace word_bytes;
  return (below(w, 0x20) | equal(w, '"') | equal(w, '\\')) != 0;
}

// Whether the text has anything to escape, 8 bytes at a time; a short text is padded with
// spaces, a longer one's last word overlaps the one before.
bool anyNeedsEscape(std::string_view text) {
  const size_t n = text.size();
  uint64_t w = word_bytes::kOnes * ' ';
  if (n < 8) {
    if (n > 0) std::memcpy(&w, text.data(), n);
    return needsEscape(w);
  }
  for (size_t i = 0; i + 8 <= n; i += 8) {
    std::memcpy(&w, text.data() + i, 8);
    if (needsEscape(w)) return true;
  }
  std::memcpy(&w, text.data() + n - 8, 8);
  return needsEscape(w);
}

}  // namespace

char* putHex(char* p, const uint8_t* bytes, size_t n) {
  for (size_t i = 0; i < n; ++i, p += 2) std::memcpy(p, &kHexPairs[2 * size_t(bytes[i])], 2);
  return p;
}

char* putJsonEscaped(char* p, std::string_view text) {
  if (!anyNeedsEscape(text)) return put(p, text);  // nearly always: one copy
  static constexpr char kHex[] = "0123456789abcdef";
  size_t run = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const auto u = static_cast<unsigned char>(text[i]);
    if (u >= 0x20 && u != '"' && u != '\\') continue;
    p = put(p, text.substr(run, i - run));
    run = i + 1;
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
