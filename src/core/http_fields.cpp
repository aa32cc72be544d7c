#include "core/http_fields.hpp"

#include <array>
#include <bit>
#include <charconv>
#include <cstring>

#include "core/word_bytes.hpp"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace switchyard {

namespace {

// Each byte with ASCII capitals made small.
constexpr std::array<unsigned char, 256> kLower = [] {
  std::array<unsigned char, 256> t{};
  for (int c = 0; c < 256; ++c)
    t[c] = static_cast<unsigned char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  return t;
}();

// RFC 9110 token characters: header field names.
constexpr std::array<bool, 256> kTokenChars = [] {
  std::array<bool, 256> t{};
  for (int c = '0'; c <= '9'; ++c) t[c] = true;
  for (int c = 'a'; c <= 'z'; ++c) t[c] = true;
  for (int c = 'A'; c <= 'Z'; ++c) t[c] = true;
  for (char c : std::string_view("!#$%&'*+-.^_`|~")) t[static_cast<unsigned char>(c)] = true;
  return t;
}();

// Field values may hold visible characters, spaces, tabs and obs-text; never CR, LF or other
// control characters.
constexpr std::array<bool, 256> kValueChars = [] {
  std::array<bool, 256> t{};
  for (int c = 0x20; c < 0x100; ++c) t[c] = c != 0x7f;
  t['\t'] = true;
  return t;
}();

bool isTokenChar(char c) { return kTokenChars[static_cast<unsigned char>(c)]; }
bool isValueChar(char c) { return kValueChars[static_cast<unsigned char>(c)]; }

// The end of a field value starting at `i`: the first byte that may not be in one (CR, LF,
// another control character or DEL). Eight bytes at a time: a marked byte's flag is exact for
// the first marked byte, so the scan jumps straight to it; a tab there is allowed and skipped.
size_t valueEnd(std::string_view block, size_t i) {
  using namespace word_bytes;
  while (i + 8 <= block.size()) {
    const uint64_t w = load(block.data() + i);
    const uint64_t marked = below(w, 0x20) | equal(w, 0x7f);
    if (marked == 0) {
      i += 8;
      continue;
    }
    i += static_cast<size_t>(std::countr_zero(marked)) / 8;
    if (block[i] != '\t') return i;
    ++i;
  }
  while (i < block.size() && isValueChar(block[i])) ++i;
  return i;
}

// Whether `s` holds a CR or LF, eight bytes at a time: header values are short, nearly always
// clean, and on every response several times over.
bool hasLineBreak(std::string_view s) {
  using namespace word_bytes;
  size_t i = 0;
#if defined(__SSE2__)
  const __m128i cr = _mm_set1_epi8('\r');
  const __m128i lf = _mm_set1_epi8('\n');
  for (; i + 16 <= s.size(); i += 16) {
    const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + i));
    if (_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(b, cr), _mm_cmpeq_epi8(b, lf))) != 0) {
      return true;
    }
  }
#endif
  for (; i + 8 <= s.size(); i += 8) {
    const uint64_t w = load(s.data() + i);
    if ((equal(w, '\r') | equal(w, '\n')) != 0) return true;
  }
  for (; i < s.size(); ++i) {
    if (s[i] == '\r' || s[i] == '\n') return true;
  }
  return false;
}

std::string_view trimWhitespace(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Calls f(token) for each comma-separated token of a list-valued field.
template <class F>
void forEachToken(std::string_view list, F&& f) {
  while (!list.empty()) {
    const size_t comma = list.find(',');
    f(trimWhitespace(list.substr(0, comma)));
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
}

Error fault(std::string message) {
  return Error::make(ErrorClass::kBadRequest, std::move(message));
}

}  // namespace

bool equalsIgnoreCaseSameSize(const char* a, const char* b, size_t n) {
  using namespace word_bytes;
  if (n < 8) {
    for (size_t i = 0; i < n; ++i) {
      if (kLower[static_cast<unsigned char>(a[i])] != kLower[static_cast<unsigned char>(b[i])])
        return false;
    }
    return true;
  }
  // Eight bytes at a time, the last word overlapping the one before.
  for (size_t i = 0; i + 8 < n; i += 8) {
    if (lowerAscii(load(a + i)) != lowerAscii(load(b + i))) return false;
  }
  return lowerAscii(load(a + n - 8)) == lowerAscii(load(b + n - 8));
}

void appendHeaderLines(std::string& out, std::initializer_list<HttpHeader> lines) {
  size_t most = 0;
  for (const auto& [name, value] : lines) most += name.size() + value.size() + 4;
  const size_t at = out.size();
  out.resize(at + most);
  char* p = out.data() + at;
  for (const auto& [name, value] : lines) {
    std::memcpy(p, name.data(), name.size());
    p += name.size();
    *p++ = ':';
    *p++ = ' ';
    if (!hasLineBreak(value)) {
      std::memcpy(p, value.data(), value.size());
      p += value.size();
    } else {
      for (char c : value) {
        if (c != '\r' && c != '\n') *p++ = c;
      }
    }
    *p++ = '\r';
    *p++ = '\n';
  }
  out.resize(static_cast<size_t>(p - out.data()));
}

void appendHeaderLine(std::string& out, std::string_view name, std::string_view value) {
  if (hasLineBreak(value)) return appendHeaderLines(out, {{name, value}});
  // One size change and two copies: cheaper than four appends, each a call with its own checks.
  const size_t at = out.size();
  out.resize(at + name.size() + value.size() + 4);
  char* p = out.data() + at;
  std::memcpy(p, name.data(), name.size());
  p += name.size();
  *p++ = ':';
  *p++ = ' ';
  if (!value.empty()) std::memcpy(p, value.data(), value.size());
  p += value.size();
  *p++ = '\r';
  *p = '\n';
}

std::string_view findHeader(const std::vector<HttpHeader>& headers, std::string_view name) {
  for (const auto& h : headers) {
    if (equalsIgnoreCase(h.name, name)) return h.value;
  }
  return {};
}

Result<HttpFraming> parseHeaderFields(std::string_view block, std::vector<HttpHeader>& headers) {
  headers.clear();
  HttpFraming framing;
  bool transferEncoding = false;
  // One pass over the bytes: a header block is on every request's path in both directions.
  const size_t size = block.size();
  size_t i = 0;
  while (true) {
    const size_t nameStart = i;
    // Four at a time: one bounds check per four table lookups.
    while (i + 4 <= size && isTokenChar(block[i]) && isTokenChar(block[i + 1]) &&
           isTokenChar(block[i + 2]) && isTokenChar(block[i + 3])) {
      i += 4;
    }
    while (i < size && isTokenChar(block[i])) ++i;
    if (i == nameStart) {
      if (i + 1 < size && block[i] == '\r' && block[i + 1] == '\n') {
        i += 2;  // the blank line that ends the block
        break;
      }
      if (i < size && (block[i] == ' ' || block[i] == '\t')) {
        // Folded continuation lines (obs-fold) are refused, as RFC 9112 allows.
        return fault("folded header line");
      }
      return fault(i < size ? "bad header name" : "unterminated header block");
    }
    if (i >= size) return fault("unterminated header block");
    if (block[i] != ':') return fault("bad header name or missing colon");
    const std::string_view name = block.substr(nameStart, i - nameStart);
    ++i;
    while (i < size && (block[i] == ' ' || block[i] == '\t')) ++i;
    const size_t valueStart = i;
    i = valueEnd(block, i);
    if (i + 1 >= size) return fault("unterminated header block");
    if (block[i] != '\r' || block[i + 1] != '\n') return fault("bad header value");
    // Leading whitespace was skipped above; only trailing whitespace is left to drop.
    std::string_view value = block.substr(valueStart, i - valueStart);
    while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
    i += 2;
    headers.push_back({name, value});

    // Only the framing fields are interpreted here; their names differ in length, which makes
    // the size check inside the comparison a cheap first filter.
    if (equalsIgnoreCase(name, "content-length")) {
      uint64_t n = 0;
      auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
      if (value.empty() || ec != std::errc() || p != value.data() + value.size()) {
        return fault("bad Content-Length");
      }
      if (framing.contentLength && *framing.contentLength != n) {
        return fault("conflicting Content-Length headers");
      }
      framing.contentLength = n;
    } else if (equalsIgnoreCase(name, "transfer-encoding")) {
      transferEncoding = true;
      std::string_view last;
      forEachToken(value, [&](std::string_view t) { last = t; });
      framing.chunked = equalsIgnoreCase(last, "chunked");
    } else if (equalsIgnoreCase(name, "connection")) {
      forEachToken(value, [&](std::string_view t) {
        if (equalsIgnoreCase(t, "close")) framing.connectionClose = true;
        if (equalsIgnoreCase(t, "keep-alive")) framing.connectionKeepAlive = true;
      });
    }
  }
  if (i != size) return fault("bytes after the header block");
  if (transferEncoding && !framing.chunked) return fault("unsupported Transfer-Encoding");
  // Both framings at once is how request smuggling starts: refuse rather than pick one.
  if (framing.chunked && framing.contentLength) {
    return fault("both Content-Length and Transfer-Encoding");
  }
  return framing;
}

}  // namespace switchyard
