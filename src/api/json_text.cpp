#include "api/json_text.hpp"

#include <cstring>

namespace switchyard {

namespace {

constexpr size_t kBad = std::string_view::npos;

bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

size_t skipSpace(std::string_view t, size_t i) {
  while (i < t.size() && isSpace(t[i])) ++i;
  return i;
}

// `i` at an opening quote; the position after the closing one. Strings are most of a chat
// request's bytes, so the closing quote is found with memchr rather than byte by byte.
size_t skipString(std::string_view t, size_t i) {
  ++i;
  while (i < t.size()) {
    const void* q = std::memchr(t.data() + i, '"', t.size() - i);
    if (q == nullptr) return kBad;
    const size_t quote = static_cast<const char*>(q) - t.data();
    size_t backslashes = 0;
    while (quote - backslashes > i && t[quote - backslashes - 1] == '\\') ++backslashes;
    if (backslashes % 2 == 0) return quote + 1;
    i = quote + 1;  // an escaped quote inside the string
  }
  return kBad;
}

// `i` at the first byte of a value; the position after it.
size_t skipValue(std::string_view t, size_t i) {
  if (i >= t.size()) return kBad;
  if (t[i] == '"') return skipString(t, i);
  if (t[i] != '{' && t[i] != '[') {
    // A number, true, false or null: runs to the next delimiter.
    while (i < t.size() && t[i] != ',' && t[i] != '}' && t[i] != ']' && !isSpace(t[i])) ++i;
    return i;
  }
  size_t depth = 0;
  while (i < t.size()) {
    const char c = t[i];
    if (c == '"') {
      i = skipString(t, i);
      if (i == kBad) return kBad;
      continue;
    }
    if (c == '{' || c == '[') ++depth;
    if ((c == '}' || c == ']') && --depth == 0) return i + 1;
    ++i;
  }
  return kBad;
}

}  // namespace

void appendJsonString(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  size_t clean = 0;  // start of the run of characters copied as they are
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(s.data() + clean, i - clean);
    clean = i + 1;
    switch (c) {
      case '"':
        out.append("\\\"");
        break;
      case '\\':
        out.append("\\\\");
        break;
      case '\n':
        out.append("\\n");
        break;
      case '\r':
        out.append("\\r");
        break;
      case '\t':
        out.append("\\t");
        break;
      default:
        out.append("\\u00");
        out.push_back(kHex[c >> 4]);
        out.push_back(kHex[c & 0xF]);
    }
  }
  out.append(s.data() + clean, s.size() - clean);
  out.push_back('"');
}

std::optional<JsonSpan> findTopLevelMember(std::string_view text, std::string_view key) {
  size_t i = skipSpace(text, 0);
  if (i >= text.size() || text[i] != '{') return std::nullopt;
  i = skipSpace(text, i + 1);
  std::optional<JsonSpan> found;
  while (i < text.size() && text[i] != '}') {
    if (text[i] != '"') return std::nullopt;
    const size_t keyEnd = skipString(text, i);
    if (keyEnd == kBad) return std::nullopt;
    const std::string_view name = text.substr(i + 1, keyEnd - i - 2);
    if (name.find('\\') != std::string_view::npos) return std::nullopt;
    i = skipSpace(text, keyEnd);
    if (i >= text.size() || text[i] != ':') return std::nullopt;
    i = skipSpace(text, i + 1);
    const size_t valueEnd = skipValue(text, i);
    if (valueEnd == kBad) return std::nullopt;
    if (name == key) {
      if (found) return std::nullopt;  // a duplicate: which one counts is the parser's call
      found = JsonSpan{i, valueEnd};
    }
    i = skipSpace(text, valueEnd);
    if (i < text.size() && text[i] == ',') i = skipSpace(text, i + 1);
  }
  return found;
}

}  // namespace switchyard
