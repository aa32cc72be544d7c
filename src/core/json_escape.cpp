#include "core/json_escape.hpp"

#include <cstdint>
#include <cstring>

#include "core/word_bytes.hpp"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

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

// The escaping of `text` from byte `from` on, all of it before `from` having been copied to `p`
// already.
char* putEscapedFrom(char* p, std::string_view text, size_t from) {
  static constexpr char kHex[] = "0123456789abcdef";
  p += from;
  size_t run = from;
  for (size_t i = from; i < text.size(); ++i) {
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

template <class Word>
Word loadAt(const char* p) {
  Word w;
  std::memcpy(&w, p, sizeof w);
  return w;
}

template <class Word>
void storeAt(char* p, Word w) {
  std::memcpy(p, &w, sizeof w);
}

#if defined(__SSE2__)
// Whether any of the 16 bytes is a control character (unsigned, below 0x20), '"' or '\\'.
bool needsEscape(__m128i b) {
  const __m128i control = _mm_cmpeq_epi8(_mm_min_epu8(b, _mm_set1_epi8(0x1f)), b);
  const __m128i quote = _mm_cmpeq_epi8(b, _mm_set1_epi8('"'));
  const __m128i backslash = _mm_cmpeq_epi8(b, _mm_set1_epi8('\\'));
  return _mm_movemask_epi8(_mm_or_si128(control, _mm_or_si128(quote, backslash))) != 0;
}
#endif

// Copies the text to `p` while it is clean, a word at a time; returns how many bytes were copied:
// all of them, or up to the word that holds the first byte to escape. Texts of 8 bytes or more are
// read in words, the last one overlapping the one before; shorter ones as two overlapping pieces.
// Every store stays inside the text's own size at `p`.
size_t copyClean(char* p, const char* s, size_t n) {
#if defined(__SSE2__)
  if (n >= 16) {
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
      const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + i));
      if (needsEscape(b)) return i;
      _mm_storeu_si128(reinterpret_cast<__m128i*>(p + i), b);
    }
    if (i < n) {
      const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + n - 16));
      if (needsEscape(b)) return i;
      _mm_storeu_si128(reinterpret_cast<__m128i*>(p + n - 16), b);
    }
    return n;
  }
  if (n >= 8) {
    const __m128i head = _mm_loadl_epi64(reinterpret_cast<const __m128i*>(s));
    const __m128i tail = _mm_loadl_epi64(reinterpret_cast<const __m128i*>(s + n - 8));
    if (needsEscape(_mm_unpacklo_epi64(head, tail))) return 0;
    _mm_storel_epi64(reinterpret_cast<__m128i*>(p), head);
    _mm_storel_epi64(reinterpret_cast<__m128i*>(p + n - 8), tail);
    return n;
  }
#else
  if (n >= 8) {
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
      const auto w = loadAt<uint64_t>(s + i);
      if (needsEscape(w)) return i;
      storeAt(p + i, w);
    }
    if (i < n) {
      const auto w = loadAt<uint64_t>(s + n - 8);
      if (needsEscape(w)) return i;
      storeAt(p + n - 8, w);
    }
    return n;
  }
#endif
  constexpr uint64_t kSpaces = word_bytes::kOnes * ' ';
  if (n >= 4) {
    const auto head = loadAt<uint32_t>(s);
    const auto tail = loadAt<uint32_t>(s + n - 4);
    if (needsEscape(uint64_t(head) | uint64_t(tail) << 32)) return 0;
    storeAt(p, head);
    storeAt(p + n - 4, tail);
    return n;
  }
  if (n >= 2) {
    const auto head = loadAt<uint16_t>(s);
    const auto tail = loadAt<uint16_t>(s + n - 2);
    if (needsEscape((kSpaces << 32) | uint64_t(head) | uint64_t(tail) << 16)) return 0;
    storeAt(p, head);
    storeAt(p + n - 2, tail);
    return n;
  }
  if (n == 1) {
    const auto u = static_cast<unsigned char>(s[0]);
    if (u < 0x20 || u == '"' || u == '\\') return 0;
    *p = s[0];
  }
  return n;
}

}  // namespace

// A text nearly never has anything to escape, and most are short (names, ids): the copy and the
// check are one pass, with no call of their own.
char* putJsonEscaped(char* p, std::string_view text) {
  const size_t clean = copyClean(p, text.data(), text.size());
  return clean == text.size() ? p + clean : putEscapedFrom(p, text, clean);
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
