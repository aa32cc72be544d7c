#pragma once
// One UTF-8 character at a time with its class, for the pre-tokenizer. Bytes that do not start a
// well-formed sequence (the reference only ever sees valid UTF-8) are characters of their own of
// class kOther, so every input splits and encodes, byte for byte.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "tokenizer/unicode_classes.hpp"

namespace switchyard::tokenizer {

namespace detail {
constexpr CharClass asciiClass(unsigned char c) {
  if (c >= 'A' && c <= 'Z') return CharClass::kUpper;
  if (c >= 'a' && c <= 'z') return CharClass::kLower;
  if (c >= '0' && c <= '9') return CharClass::kNumber;
  if (c == ' ' || (c >= '\t' && c <= '\r')) return CharClass::kSpace;
  return CharClass::kOther;
}
inline constexpr auto kAsciiClasses = [] {
  std::array<CharClass, 128> t{};
  for (unsigned c = 0; c < 128; ++c) t[c] = asciiClass(static_cast<unsigned char>(c));
  return t;
}();
}  // namespace detail

struct Utf8Char {
  char32_t cp;
  uint32_t len;
  CharClass cls;
};

class Utf8Text {
 public:
  explicit Utf8Text(std::string_view text)
      : p_(reinterpret_cast<const unsigned char*>(text.data())),
        n_(text.size()),
        table_(CharClassTable::get()) {}

  size_t size() const { return n_; }
  unsigned char byte(size_t i) const { return p_[i]; }

  // The character at byte offset i < size(). ASCII inline; the rest out of line.
  [[gnu::always_inline]] Utf8Char at(size_t i) const {
    const unsigned char b = p_[i];
    if (b < 0x80) [[likely]]
      return {b, 1, detail::kAsciiClasses[b]};
    return multibyte(i);
  }

 private:
  Utf8Char multibyte(size_t i) const;
  static constexpr bool in(unsigned char c, unsigned char lo, unsigned char hi) {
    return c >= lo && c <= hi;
  }
  bool cont(size_t j) const { return j < n_ && (p_[j] & 0xC0) == 0x80; }

  const unsigned char* p_;
  size_t n_;
  const CharClassTable& table_;
};

}  // namespace switchyard::tokenizer
