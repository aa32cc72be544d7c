#include "tokenizer/unicode_classes.hpp"

#include <cstring>
#include <map>
#include <string>
#include <vector>

namespace switchyard::tokenizer {

namespace {

// Runs of (first code point << 4) | class, ascending, the first at U+0000.
constexpr uint32_t kRuns[] = {
#include "tokenizer/unicode_classes.inc"
};

}  // namespace

CharClassTable::CharClassTable() {
  std::vector<uint8_t> all(kCodePoints);
  constexpr size_t kCount = sizeof(kRuns) / sizeof(kRuns[0]);
  for (size_t i = 0; i < kCount; ++i) {
    const uint32_t first = kRuns[i] >> 4;
    const uint32_t end = i + 1 < kCount ? kRuns[i + 1] >> 4 : kCodePoints;
    std::memset(all.data() + first, static_cast<int>(kRuns[i] & 0xF), end - first);
  }
  std::map<std::string, uint16_t> seen;
  for (uint32_t b = 0; b < index_.size(); ++b) {
    std::string block(reinterpret_cast<const char*>(all.data()) + b * kBlockSize, kBlockSize);
    auto [it, added] = seen.try_emplace(std::move(block), static_cast<uint16_t>(seen.size()));
    if (added) blocks_.insert(blocks_.end(), it->first.begin(), it->first.end());
    index_[b] = it->second;
  }
}

const CharClassTable& CharClassTable::get() {
  static const CharClassTable table;
  return table;
}

}  // namespace switchyard::tokenizer
