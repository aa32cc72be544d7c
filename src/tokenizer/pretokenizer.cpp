#include "tokenizer/pretokenizer.hpp"

#include <cstdint>

namespace switchyard::tokenizer {

namespace {

constexpr uint32_t bit(CharClass c) { return 1u << static_cast<unsigned>(c); }
constexpr uint32_t kLetter = bit(CharClass::kUpper) | bit(CharClass::kLower) |
                             bit(CharClass::kTitle) | bit(CharClass::kModifier) |
                             bit(CharClass::kOtherLetter);
// o200k's [\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}] and [\p{Ll}\p{Lm}\p{Lo}\p{M}].
constexpr uint32_t kUpperish = bit(CharClass::kUpper) | bit(CharClass::kTitle) |
                               bit(CharClass::kModifier) | bit(CharClass::kOtherLetter) |
                               bit(CharClass::kMark);
constexpr uint32_t kLowerish = bit(CharClass::kLower) | bit(CharClass::kModifier) |
                               bit(CharClass::kOtherLetter) | bit(CharClass::kMark);

constexpr bool is(uint32_t set, CharClass c) { return (set & bit(c)) != 0; }

// [^\r\n\p{L}\p{N}]
bool notNewlineLetterNumber(const Utf8Char& c) {
  return !is(kLetter | bit(CharClass::kNumber), c.cls) && c.cp != '\r' && c.cp != '\n';
}
// [^\s\p{L}\p{N}]
bool notSpaceLetterNumber(const Utf8Char& c) {
  return !is(kLetter | bit(CharClass::kNumber) | bit(CharClass::kSpace), c.cls);
}

char lower(unsigned char b) { return static_cast<char>(b >= 'A' && b <= 'Z' ? b + 32 : b); }

}  // namespace

size_t PreTokenizer::contraction(size_t e) const {
  const size_t n = text_.size();
  if (e + 1 >= n || text_.byte(e) != '\'') return e;
  const char a = lower(text_.byte(e + 1));
  if (a == 's' || a == 't' || a == 'm' || a == 'd') return e + 2;
  // U+017F LATIN SMALL LETTER LONG S folds to 's' under (?i).
  if (text_.byte(e + 1) == 0xC5 && e + 2 < n && text_.byte(e + 2) == 0xBF) return e + 3;
  if (e + 2 < n) {
    const char b = lower(text_.byte(e + 2));
    if ((a == 'r' && b == 'e') || (a == 'v' && b == 'e') || (a == 'l' && b == 'l')) return e + 3;
  }
  return e;
}

// [UPPERISH]*[LOWERISH]+ contraction? from s. The upper run is greedy; when no lowerish
// character follows it, it gives back up to its last character that is also lowerish (Lm, Lo,
// M), which then is the whole [LOWERISH]+.
size_t PreTokenizer::lowerTailFrom(size_t s) const {
  const size_t n = text_.size();
  size_t u = s, lastLowerEnd = 0;
  Utf8Char c{};
  while (u < n) {
    c = text_.at(u);
    if (!is(kUpperish, c.cls)) break;
    u += c.len;
    if (is(kLowerish, c.cls)) lastLowerEnd = u;
  }
  if (u < n && is(kLowerish, c.cls)) {
    size_t e = u;
    while (e < n) {
      const Utf8Char d = text_.at(e);
      if (!is(kLowerish, d.cls)) break;
      e += d.len;
    }
    return contraction(e);
  }
  return lastLowerEnd == 0 ? 0 : contraction(lastLowerEnd);
}

// [UPPERISH]+[LOWERISH]* contraction? from s.
size_t PreTokenizer::upperHeadFrom(size_t s) const {
  const size_t n = text_.size();
  size_t e = s;
  while (e < n) {
    const Utf8Char c = text_.at(e);
    if (!is(kUpperish, c.cls)) break;
    e += c.len;
  }
  if (e == s) return 0;
  while (e < n) {
    const Utf8Char c = text_.at(e);
    if (!is(kLowerish, c.cls)) break;
    e += c.len;
  }
  return contraction(e);
}

// The optional [^\r\n\p{L}\p{N}] before either word form: taken when the rest matches after it,
// else the rest is tried at i itself (which matches when that character is a mark).
size_t PreTokenizer::lowerTailWord(size_t i, const Utf8Char& c) const {
  if (notNewlineLetterNumber(c)) {
    if (const size_t e = lowerTailFrom(i + c.len)) return e;
  }
  return lowerTailFrom(i);
}

size_t PreTokenizer::upperHeadWord(size_t i, const Utf8Char& c) const {
  if (notNewlineLetterNumber(c)) {
    if (const size_t e = upperHeadFrom(i + c.len)) return e;
  }
  return upperHeadFrom(i);
}

size_t PreTokenizer::letters(size_t i, const Utf8Char& c) const {
  const size_t n = text_.size();
  size_t s = i;
  if (notNewlineLetterNumber(c) && i + c.len < n && is(kLetter, text_.at(i + c.len).cls)) {
    s = i + c.len;
  } else if (!is(kLetter, c.cls)) {
    return 0;
  }
  while (s < n) {
    const Utf8Char d = text_.at(s);
    if (!is(kLetter, d.cls)) break;
    s += d.len;
  }
  return s;
}

size_t PreTokenizer::digits(size_t i) const {
  size_t e = i;
  for (int k = 0; k < 3 && e < text_.size(); ++k) {
    const Utf8Char c = text_.at(e);
    if (c.cls != CharClass::kNumber) break;
    e += c.len;
  }
  return e == i ? 0 : e;
}

// " ?[^\s\p{L}\p{N}]+[\r\n]*", with '/' in the tail too for o200k.
size_t PreTokenizer::punctuation(size_t i, const Utf8Char& c, bool slash) const {
  const size_t n = text_.size();
  size_t e = i;
  if (c.cp == ' ') {
    if (i + 1 >= n || !notSpaceLetterNumber(text_.at(i + 1))) return 0;
    e = i + 1;
  } else if (!notSpaceLetterNumber(c)) {
    return 0;
  }
  while (e < n) {
    const Utf8Char d = text_.at(e);
    if (!notSpaceLetterNumber(d)) break;
    e += d.len;
  }
  while (e < n) {
    const unsigned char b = text_.byte(e);
    if (b != '\r' && b != '\n' && !(slash && b == '/')) break;
    ++e;
  }
  return e;
}

// At a White_Space character. \s*[\r\n]+ ends after the run's last \r or \n; without one,
// \s+(?!\S) takes the run but its last character when a non-space follows (that character then
// starts the next piece, e.g. " word"), and \s+ takes a lone space before a non-space.
size_t PreTokenizer::whitespace(size_t i) const {
  const size_t n = text_.size();
  size_t e = i, last = i, newlineEnd = 0;
  while (e < n) {
    const Utf8Char c = text_.at(e);
    if (c.cls != CharClass::kSpace) break;
    last = e;
    e += c.len;
    if (c.cp == '\r' || c.cp == '\n') newlineEnd = e;
  }
  if (newlineEnd != 0) return newlineEnd;
  if (e == n || last == i) return e;
  return last;
}

size_t PreTokenizer::o200kEnd(size_t i) const {
  const Utf8Char c = text_.at(i);
  if (const size_t e = lowerTailWord(i, c)) return e;
  if (const size_t e = upperHeadWord(i, c)) return e;
  if (const size_t e = digits(i)) return e;
  if (const size_t e = punctuation(i, c, true)) return e;
  return whitespace(i);
}

size_t PreTokenizer::cl100kEnd(size_t i) const {
  const Utf8Char c = text_.at(i);
  if (c.cp == '\'') {
    if (const size_t e = contraction(i); e != i) return e;
  }
  if (const size_t e = letters(i, c)) return e;
  if (const size_t e = digits(i)) return e;
  if (const size_t e = punctuation(i, c, false)) return e;
  return whitespace(i);
}

}  // namespace switchyard::tokenizer
