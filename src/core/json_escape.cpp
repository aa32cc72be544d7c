#include "core/json_escape.hpp"

#include <cstdint>
#include <cstring>

#include "core/word_bytes.hpp"

namespace switchyard {

namespace {

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

char* put(char* p, std::string_view text) {
  if (text.empty()) return p;  // its data may be null, which memcpy must not be given
  std::memcpy(p, text.data(), text.size());
  return p + text.size();
}

}  // namespace

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
    switch (u) {
      case '"':
      case '\\':
        *p++ = static_cast<char>(u);
        break;
      case '\n':
        *p++ = 'n';
        break;
      case '\r':
        *p++ = 'r';
        break;
      case '\t':
        *p++ = 't';
        break;
      default:
        p = put(p, "u00");
        *p++ = kHex[u >> 4];
        *p++ = kHex[u & 15];
    }
  }
  return put(p, text.substr(run));
}

void appendJsonEscaped(std::string& out, std::string_view text) {
  if (!anyNeedsEscape(text)) {
    out.append(text);  // without sizing the string for the worst case first
    return;
  }
  const size_t at = out.size();
  out.resize(at + kMaxJsonEscapedGrowth * text.size());
  out.resize(static_cast<size_t>(putJsonEscaped(out.data() + at, text) - out.data()));
}

void appendJsonString(std::string& out, std::string_view text) {
  out.push_back('"');
  appendJsonEscaped(out, text);
  out.push_back('"');
}

}  // namespace switchyard
