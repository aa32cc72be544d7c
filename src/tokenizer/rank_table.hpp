#pragma once
// A BPE vocabulary: token bytes by rank (the token id) and the rank of a byte string, looked up
// in an open-addressing hash table. Built once from a vocabulary file in the format of
// tools/tokenizer/convert_vocab.mjs; the token bytes stay in that (embedded) file.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace switchyard::tokenizer {

class RankTable {
 public:
  static constexpr uint32_t kNone = UINT32_MAX;

  // `file` must outlive the table. A malformed file leaves an empty table and error() says why.
  explicit RankTable(std::span<const unsigned char> file);

  const std::string& error() const { return error_; }
  uint32_t size() const { return static_cast<uint32_t>(offsets_.size()); }

  // The rank of these bytes, or kNone.
  uint32_t find(std::string_view bytes) const {
    if (slots_.empty()) return kNone;
    if (bytes.size() == 1) return byteRanks_[static_cast<unsigned char>(bytes[0])];
    if (bytes.size() == 2) return pairRank(bytes[0], bytes[1]);
    if (bytes.size() > longest_) return kNone;
    const uint64_t h = hash(bytes);
    // Most lookups of a merge are of byte strings that are no token: a bit per hash in a
    // cache-resident filter answers those without touching the table.
    const uint64_t bit = h >> (64 - kFilterBits);
    if ((filter_[bit >> 6] >> (bit & 63) & 1) == 0) return kNone;
    for (size_t i = h & mask_;; i = (i + 1) & mask_) {
      const uint32_t rank = slots_[i];
      if (rank == kNone) return kNone;
      if (sameBytes(rank, bytes)) return rank;
    }
  }

  // The rank of a two-byte token: most lookups of a merge are of two bytes, so they have a table
  // of their own, 256 KB that stays in cache, not the hash table's megabytes.
  uint32_t pairRank(char a, char b) const {
    if (pairRanks_.empty()) return kNone;
    return pairRanks_[static_cast<unsigned char>(a) << 8 | static_cast<unsigned char>(b)];
  }

  // The single-byte token's rank (every byte has one in byte-level BPE vocabularies).
  uint32_t byteRank(unsigned char b) const { return byteRanks_[b]; }

  std::string_view token(uint32_t rank) const {
    return {reinterpret_cast<const char*>(bytes_ + offsets_[rank]), lengths_[rank]};
  }

 private:
  // token(rank) == bytes without a call to memcmp for the usual few bytes.
  bool sameBytes(uint32_t rank, std::string_view bytes) const {
    if (lengths_[rank] != bytes.size()) return false;
    const unsigned char* t = bytes_ + offsets_[rank];
    const auto* b = reinterpret_cast<const unsigned char*>(bytes.data());
    for (size_t i = 0; i < bytes.size(); ++i) {
      if (t[i] != b[i]) return false;
    }
    return true;
  }
  static uint64_t hash(std::string_view s);

  const unsigned char* bytes_ = nullptr;
  const unsigned char* lengths_ = nullptr;
  std::vector<uint32_t> offsets_;
  std::vector<uint32_t> slots_;  // ranks; kNone: empty
  std::vector<uint32_t> pairRanks_;
  size_t mask_ = 0;
  static constexpr unsigned kFilterBits = 21;  // 2^21 bits, 256 KB
  std::vector<uint64_t> filter_;
  size_t longest_ = 0;  // the longest token's length: longer pieces need no lookup
  uint32_t byteRanks_[256] = {};
  std::string error_;
};

}  // namespace switchyard::tokenizer
