#include "tokenizer/byte_pair.hpp"

#include <algorithm>
#include <array>
#include <functional>

namespace switchyard::tokenizer {

namespace {

constexpr uint32_t kNone = RankTable::kNone;
// Pieces up to this many bytes merge in a stack array by linear scans.
constexpr size_t kShortPiece = 128;

// Calls emit(rank) for each token of the piece, in order.
template <typename Emit>
void mergeShort(const RankTable& ranks, std::string_view piece, Emit&& emit) {
  // parts[k]: where part k starts, its token, and the rank of part k merged with part k+1.
  struct Part {
    uint32_t start;
    uint32_t token;
    uint32_t pairRank;
  };
  std::array<Part, kShortPiece + 1> parts;
  const size_t n = piece.size();
  size_t count = n;
  for (size_t k = 0; k < n; ++k) {
    parts[k] = {static_cast<uint32_t>(k), ranks.byteRank(static_cast<unsigned char>(piece[k])),
                k + 1 < n ? ranks.find(piece.substr(k, 2)) : kNone};
  }
  parts[n] = {static_cast<uint32_t>(n), kNone, kNone};
  // The rank of parts k and k+1 merged, with the part after them starting at parts[k+2].
  auto pairRank = [&](size_t k) {
    if (k + 2 > count) return kNone;
    return ranks.find(piece.substr(parts[k].start, parts[k + 2].start - parts[k].start));
  };
  while (true) {
    uint32_t best = kNone;
    size_t at = 0;
    for (size_t k = 0; k + 1 < count; ++k) {
      if (parts[k].pairRank < best) {
        best = parts[k].pairRank;
        at = k;
      }
    }
    if (best == kNone) break;
    parts[at].token = best;
    for (size_t k = at + 1; k < count; ++k) parts[k] = parts[k + 1];
    --count;
    parts[at].pairRank = pairRank(at);
    if (at > 0) parts[at - 1].pairRank = pairRank(at - 1);
  }
  for (size_t k = 0; k < count; ++k) emit(parts[k].token);
}

template <typename Emit>
void mergeLong(const RankTable& ranks, std::string_view piece, Emit&& emit) {
  // A doubly linked list of parts, indexed by the byte where each starts.
  const size_t n = piece.size();
  struct Part {
    uint32_t next;  // start of the following part; n at the end
    uint32_t prev;  // start of the previous part; kNone at the start
    uint32_t token;
    uint32_t pairRank;  // rank of this part merged with the next
    bool alive;
  };
  std::vector<Part> parts(n);
  for (size_t k = 0; k < n; ++k) {
    parts[k] = {static_cast<uint32_t>(k + 1), k == 0 ? kNone : static_cast<uint32_t>(k - 1),
                ranks.byteRank(static_cast<unsigned char>(piece[k])), kNone, true};
  }
  // Entries rank << 32 | start: the lowest rank first, the leftmost of equal ones.
  std::vector<uint64_t> heap;
  heap.reserve(n);
  const std::greater<uint64_t> later;
  auto push = [&](uint32_t rank, uint32_t start) {
    heap.push_back(uint64_t{rank} << 32 | start);
    std::push_heap(heap.begin(), heap.end(), later);
  };
  auto pairRank = [&](uint32_t start) {
    const uint32_t next = parts[start].next;
    if (next >= n) return kNone;
    const uint32_t end = parts[next].next;
    return ranks.find(piece.substr(start, end - start));
  };
  for (uint32_t k = 0; k + 1 < n; ++k) {
    parts[k].pairRank = ranks.find(piece.substr(k, 2));
    if (parts[k].pairRank != kNone) heap.push_back(uint64_t{parts[k].pairRank} << 32 | k);
  }
  std::make_heap(heap.begin(), heap.end(), later);
  while (!heap.empty()) {
    std::pop_heap(heap.begin(), heap.end(), later);
    const auto rank = static_cast<uint32_t>(heap.back() >> 32);
    const auto start = static_cast<uint32_t>(heap.back());
    heap.pop_back();
    // Stale entries: the part was merged into its left neighbour, or its pair changed (a
    // pair's rank names its bytes, so an unchanged rank is the same pair).
    if (!parts[start].alive || parts[start].pairRank != rank) continue;
    const uint32_t gone = parts[start].next;
    parts[gone].alive = false;
    parts[start].next = parts[gone].next;
    if (parts[start].next < n) parts[parts[start].next].prev = start;
    parts[start].token = rank;
    parts[start].pairRank = pairRank(start);
    if (parts[start].pairRank != kNone) push(parts[start].pairRank, start);
    if (const uint32_t prev = parts[start].prev; prev != kNone) {
      parts[prev].pairRank = pairRank(prev);
      if (parts[prev].pairRank != kNone) push(parts[prev].pairRank, prev);
    }
  }
  for (uint32_t k = 0; k < n; k = parts[k].next) emit(parts[k].token);
}

template <typename Emit>
void merge(const RankTable& ranks, std::string_view piece, Emit&& emit) {
  if (piece.size() <= kShortPiece) {
    mergeShort(ranks, piece, emit);
  } else {
    mergeLong(ranks, piece, emit);
  }
}

}  // namespace

void bytePairEncode(const RankTable& ranks, std::string_view piece, std::vector<uint32_t>& out) {
  merge(ranks, piece, [&](uint32_t token) { out.push_back(token); });
}

size_t bytePairCount(const RankTable& ranks, std::string_view piece) {
  size_t count = 0;
  merge(ranks, piece, [&](uint32_t) { ++count; });
  return count;
}

}  // namespace switchyard::tokenizer
