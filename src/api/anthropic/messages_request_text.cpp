#include "api/anthropic/messages_request_text.hpp"

#include <algorithm>
#include <array>
#include <cstring>

#include "api/routing_preferences.hpp"

namespace switchyard::anthropic_in {

namespace {

// Top-level members compared for duplicates; a body with more is not forwarded as text (the
// Messages API has about twenty fields).
constexpr size_t kMaxMembers = 48;

bool isSpace(char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; }

size_t skipSpace(std::string_view t, size_t i) {
  while (i < t.size() && isSpace(t[i])) ++i;
  return i;
}

// `i` is at a string's opening quote: the position after its closing one. Most of a body is
// string text, so the quote is looked for with memchr.
size_t skipString(std::string_view t, size_t i) {
  size_t from = i + 1;
  while (from < t.size()) {
    const void* found = std::memchr(t.data() + from, '"', t.size() - from);
    if (!found) break;
    const size_t quote = static_cast<const char*>(found) - t.data();
    size_t backslashes = 0;
    while (quote - backslashes > i + 1 && t[quote - backslashes - 1] == '\\') ++backslashes;
    if (backslashes % 2 == 0) return quote + 1;
    from = quote + 1;
  }
  return t.size();
}

// `i` is at a value: the position after it.
size_t skipValue(std::string_view t, size_t i) {
  if (t[i] == '"') return skipString(t, i);
  if (t[i] != '{' && t[i] != '[') {
    while (i < t.size() && !isSpace(t[i]) && t[i] != ',' && t[i] != '}' && t[i] != ']') ++i;
    return i;
  }
  size_t depth = 0;
  while (i < t.size()) {
    const char c = t[i];
    if (c == '"') {
      i = skipString(t, i);
      continue;
    }
    if (c == '{' || c == '[') {
      ++depth;
    } else if ((c == '}' || c == ']') && --depth == 0) {
      return i + 1;
    }
    ++i;
  }
  return i;
}

bool ownedByGateway(std::string_view key) {
  return std::find(kRoutePreferenceMembers.begin(), kRoutePreferenceMembers.end(), key) !=
         kRoutePreferenceMembers.end();
}

}  // namespace

ClientText clientTextOf(std::string_view t) {
  ClientText out;
  std::array<std::string_view, kMaxMembers> keys;
  size_t count = 0;
  bool haveModel = false;
  // A member cut while no kept member precedes it leaves the next kept member's comma behind.
  bool keptBefore = false;
  bool commaToCut = false;
  size_t i = skipSpace(t, 0);
  if (i >= t.size() || t[i] != '{') return {};
  size_t separator = ++i;  // where the text between the previous member and this one starts
  i = skipSpace(t, i);
  while (i < t.size() && t[i] == '"') {
    const size_t begin = i;
    i = skipString(t, i);
    const std::string_view key = t.substr(begin + 1, i - begin - 2);
    if (key.find('\\') != std::string_view::npos || count == kMaxMembers) return {};
    if (std::find(keys.begin(), keys.begin() + count, key) != keys.begin() + count) return {};
    keys[count++] = key;
    i = skipSpace(t, i);
    if (i >= t.size() || t[i] != ':') return {};
    const size_t valueBegin = skipSpace(t, i + 1);
    if (valueBegin >= t.size()) return {};
    const size_t end = skipValue(t, valueBegin);
    if (ownedByGateway(key)) {
      // With the comma before it; the first member takes the comma after it instead.
      out.cut.push_back(keptBefore || count > 1 ? JsonSpan{separator, end} : JsonSpan{begin, end});
      commaToCut = commaToCut || !keptBefore;
    } else {
      if (commaToCut) {
        const size_t comma = t.find(',', separator);
        out.cut.push_back(JsonSpan{separator, comma + 1});
        commaToCut = false;
      }
      keptBefore = true;
      if (key == "model") {
        out.model = JsonSpan{valueBegin, end};
        haveModel = true;
      }
    }
    separator = end;
    i = skipSpace(t, end);
    if (i < t.size() && t[i] == ',') i = skipSpace(t, i + 1);
  }
  if (!haveModel) return {};
  out.text = t;
  return out;
}

}  // namespace switchyard::anthropic_in
