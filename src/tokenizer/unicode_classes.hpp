#pragma once
// The character classes of the pre-tokenization patterns of o200k_base and cl100k_base (letters
// by case, marks, numbers, White_Space), per code point, from a table generated from the Unicode
// Character Database (unicode_classes.inc, tools/tokenizer/gen_unicode_table.mjs).

#include <array>
#include <cstdint>
#include <vector>

namespace switchyard::tokenizer {

// The order is the generator's: keep both in step.
enum class CharClass : uint8_t {
  kOther,        // everything else, also unassigned code points and invalid UTF-8 bytes
  kUpper,        // Lu
  kLower,        // Ll
  kTitle,        // Lt
  kModifier,     // Lm
  kOtherLetter,  // Lo
  kMark,         // M (Mn, Mc, Me)
  kNumber,       // N (Nd, Nl, No)
  kSpace,        // White_Space (never a letter, mark or number)
};

// A two-stage table over all code points: 128-code-point blocks, identical blocks stored once.
class CharClassTable {
 public:
  CharClass of(char32_t cp) const {
    if (cp >= kCodePoints) return CharClass::kOther;
    return static_cast<CharClass>(
        blocks_[(static_cast<uint32_t>(index_[cp >> kBlockBits]) << kBlockBits) |
                (cp & (kBlockSize - 1))]);
  }

  static const CharClassTable& get();

 private:
  static constexpr uint32_t kCodePoints = 0x110000;
  static constexpr uint32_t kBlockBits = 7;
  static constexpr uint32_t kBlockSize = 1u << kBlockBits;
  CharClassTable();
  std::array<uint16_t, kCodePoints / kBlockSize> index_{};
  std::vector<uint8_t> blocks_;
};

}  // namespace switchyard::tokenizer
