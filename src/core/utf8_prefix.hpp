#pragma once
// Cutting text to a size limit without cutting a UTF-8 character in two: a cut inside a multi-byte
// character would leave invalid UTF-8 behind (in a log line, a span attribute).

#include <cstddef>
#include <string_view>

namespace switchyard {

// The longest prefix of `text` of at most `maxBytes` bytes that ends on a character boundary.
inline std::string_view utf8Prefix(std::string_view text, size_t maxBytes) {
  if (text.size() <= maxBytes) return text;
  size_t n = maxBytes;
  while (n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80) --n;
  return text.substr(0, n);
}

}  // namespace switchyard
