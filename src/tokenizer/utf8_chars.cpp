#include "tokenizer/utf8_chars.hpp"

namespace switchyard::tokenizer {

Utf8Char Utf8Text::multibyte(size_t i) const {
  const unsigned char b = p_[i];
  char32_t cp = 0;
  uint32_t len = 0;
  if (b >= 0xC2 && b <= 0xDF) {
    if (cont(i + 1)) {
      cp = (b & 0x1Fu) << 6 | (p_[i + 1] & 0x3Fu);
      len = 2;
    }
  } else if (b >= 0xE0 && b <= 0xEF) {
    // E0 needs A0.., ED stops at 9F (no surrogates).
    const unsigned char lo = b == 0xE0 ? 0xA0 : 0x80, hi = b == 0xED ? 0x9F : 0xBF;
    if (i + 2 < n_ && in(p_[i + 1], lo, hi) && cont(i + 2)) {
      cp = (b & 0x0Fu) << 12 | (p_[i + 1] & 0x3Fu) << 6 | (p_[i + 2] & 0x3Fu);
      len = 3;
    }
  } else if (b >= 0xF0 && b <= 0xF4) {
    // F0 needs 90.., F4 stops at 8F (nothing past U+10FFFF).
    const unsigned char lo = b == 0xF0 ? 0x90 : 0x80, hi = b == 0xF4 ? 0x8F : 0xBF;
    if (i + 3 < n_ && in(p_[i + 1], lo, hi) && cont(i + 2) && cont(i + 3)) {
      cp = (b & 0x07u) << 18 | (p_[i + 1] & 0x3Fu) << 12 | (p_[i + 2] & 0x3Fu) << 6 |
           (p_[i + 3] & 0x3Fu);
      len = 4;
    }
  }
  if (len == 0) return {0xFFFD, 1, CharClass::kOther};
  return {cp, len, table_.of(cp)};
}

}  // namespace switchyard::tokenizer
