#pragma once
// Pre-tokenization: the text split into the pieces tiktoken's regular expression of each
// encoding matches, one after the other, written out by hand over UTF-8 (no regex engine):
//
// o200k_base:
//   [^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?
//   |[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?
//   |\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+
// cl100k_base:
//   (?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*
//   |\s*[\r\n]+|\s+(?!\S)|\s+
//
// with the semantics of a backtracking engine (leftmost alternative first, greedy quantifiers
// giving back only as far as the rest needs), which is what the reference (fancy-regex) has.

#include <cstddef>
#include <string_view>

#include "tokenizer/utf8_chars.hpp"

namespace switchyard::tokenizer {

enum class Pattern { kO200k, kCl100k };

// Splits one text; next() returns the pieces in order, then an empty view.
class PreTokenizer {
 public:
  PreTokenizer(Pattern pattern, std::string_view text)
      : pattern_(pattern), data_(text), text_(text) {}

  std::string_view next() {
    if (pos_ >= text_.size()) return {};
    size_t end = pattern_ == Pattern::kO200k ? o200kEnd(pos_) : cl100kEnd(pos_);
    // Every character starts some alternative; this only guards against looping forever.
    if (end <= pos_) end = pos_ + text_.at(pos_).len;
    std::string_view piece = data_.substr(pos_, end - pos_);
    pos_ = end;
    return piece;
  }

 private:
  size_t o200kEnd(size_t i) const;
  size_t cl100kEnd(size_t i) const;

  // Each returns the end of its alternative's match at i, or 0 when it does not match (every
  // match is at least one character long).
  size_t lowerTailWord(size_t i, const Utf8Char& c) const;  // o200k's first alternative
  size_t upperHeadWord(size_t i, const Utf8Char& c) const;  // o200k's second
  size_t lowerTailFrom(size_t s) const;
  size_t upperHeadFrom(size_t s) const;
  size_t letters(size_t i, const Utf8Char& c) const;  // cl100k's [^\r\n\p{L}\p{N}]?\p{L}+
  size_t digits(size_t i) const;                      // \p{N}{1,3}
  size_t punctuation(size_t i, const Utf8Char& c, bool slash) const;
  size_t whitespace(size_t i) const;  // \s*[\r\n]+ | \s+(?!\S) | \s+
  // The end of (?i:'s|'t|'re|'ve|'m|'ll|'d) at e, or e when there is none.
  size_t contraction(size_t e) const;

  Pattern pattern_;
  std::string_view data_;
  Utf8Text text_;
  size_t pos_ = 0;
};

}  // namespace switchyard::tokenizer
