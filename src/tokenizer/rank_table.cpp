#include "tokenizer/rank_table.hpp"

#include <algorithm>
#include <bit>
#include <cstring>

namespace switchyard::tokenizer {

namespace {

constexpr std::string_view kMagic{"SYBPE1\n\0", 8};

uint64_t load64(const char* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}

uint64_t load32(const char* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}

// 64x64 -> 128-bit multiply folded to 64 bits: a good mix at a few cycles.
uint64_t mix(uint64_t a, uint64_t b) {
  const unsigned __int128 m =
      static_cast<unsigned __int128>(a ^ 0x9E3779B97F4A7C15ull) * (b ^ 0xD6E8FEB86659FD93ull);
  return static_cast<uint64_t>(m) ^ static_cast<uint64_t>(m >> 64);
}

}  // namespace

uint64_t RankTable::hash(std::string_view s) {
  const char* p = s.data();
  const size_t n = s.size();
  if (n >= 8) {
    uint64_t h = mix(load64(p) + n, load64(p + n - 8));
    for (size_t i = 8; i + 8 < n; i += 8) h = mix(h, load64(p + i));
    return h;
  }
  if (n >= 4) return mix(load32(p) | load32(p + n - 4) << 32, n);
  if (n == 0) return mix(0, 0);
  const uint64_t v = static_cast<unsigned char>(p[0]) |
                     static_cast<uint64_t>(static_cast<unsigned char>(p[n / 2])) << 8 |
                     static_cast<uint64_t>(static_cast<unsigned char>(p[n - 1])) << 16;
  return mix(v, n);
}

RankTable::RankTable(std::span<const unsigned char> file) {
  if (file.size() < 12 || std::memcmp(file.data(), kMagic.data(), kMagic.size()) != 0) {
    error_ = "not a vocabulary file";
    return;
  }
  uint32_t count;
  std::memcpy(&count, file.data() + 8, 4);
  if (count == 0 || file.size() < 12 + size_t{count}) {
    error_ = "truncated vocabulary file";
    return;
  }
  lengths_ = file.data() + 12;
  bytes_ = lengths_ + count;
  offsets_.resize(count);
  size_t total = 0;
  for (uint32_t r = 0; r < count; ++r) {
    offsets_[r] = static_cast<uint32_t>(total);
    total += lengths_[r];
    longest_ = std::max<size_t>(longest_, lengths_[r]);
  }
  if (file.size() != 12 + size_t{count} + total) {
    offsets_.clear();
    error_ = "vocabulary file size does not match its lengths";
    return;
  }
  // At most half full, so that misses end after a probe or two.
  const size_t capacity = std::bit_ceil(size_t{count} * 2);
  slots_.assign(capacity, kNone);
  filter_.assign((size_t{1} << kFilterBits) / 64, 0);
  mask_ = capacity - 1;
  for (auto& r : byteRanks_) r = kNone;
  pairRanks_.assign(size_t{1} << 16, kNone);
  for (uint32_t r = 0; r < count; ++r) {
    const std::string_view t = token(r);
    const uint64_t h = hash(t);
    const uint64_t bit = h >> (64 - kFilterBits);
    filter_[bit >> 6] |= uint64_t{1} << (bit & 63);
    size_t i = h & mask_;
    while (slots_[i] != kNone) {
      if (token(slots_[i]) == t) break;  // a duplicate keeps its lowest rank
      i = (i + 1) & mask_;
    }
    if (slots_[i] == kNone) slots_[i] = r;
    if (t.size() == 1) byteRanks_[static_cast<unsigned char>(t[0])] = r;
    if (t.size() == 2) {
      auto& pair =
          pairRanks_[static_cast<unsigned char>(t[0]) << 8 | static_cast<unsigned char>(t[1])];
      if (pair == kNone) pair = r;
    }
  }
  for (const uint32_t r : byteRanks_) {
    if (r == kNone) {
      slots_.clear();
      pairRanks_.clear();
      offsets_.clear();
      error_ = "vocabulary lacks a single-byte token";
      return;
    }
  }
}

}  // namespace switchyard::tokenizer
