#pragma once
// Eight bytes at a time: the word tests the scanners use on headers and JSON text. Each returns
// the word with the high bit set in the bytes that match. Borrows can also mark a byte above a
// match, never one below it, so "any match" is exact and the lowest mark (std::countr_zero / 8,
// the first byte in memory on a little-endian machine) is the first match.

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace switchyard::word_bytes {

constexpr uint64_t kOnes = 0x0101010101010101ULL;
constexpr uint64_t kHighs = 0x8080808080808080ULL;

inline uint64_t load(const char* p) {
  uint64_t w;
  std::memcpy(&w, p, sizeof w);
  return w;
}

// Bytes below `n` (n at most 0x80).
inline uint64_t below(uint64_t w, unsigned char n) { return (w - kOnes * n) & ~w & kHighs; }

// Bytes equal to `c`.
inline uint64_t equal(uint64_t w, char c) {
  return below(w ^ (kOnes * static_cast<unsigned char>(c)), 1);
}

// The word with ASCII capitals made small; every other byte unchanged. The high bits are set
// aside first so that no byte's sum carries into the next.
inline uint64_t lowerAscii(uint64_t w) {
  const uint64_t x = w & ~kHighs;
  const uint64_t atLeastA = x + kOnes * (0x80 - 'A');
  const uint64_t aboveZ = x + kOnes * (0x80 - 'Z' - 1);
  const uint64_t capitals = atLeastA & ~aboveZ & ~w & kHighs;
  return w | (capitals >> 2);  // 0x80 >> 2 is the case bit
}

}  // namespace switchyard::word_bytes
