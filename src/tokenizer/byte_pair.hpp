#pragma once
// tiktoken's byte-pair merge of one piece: start from single bytes and merge, again and again,
// the adjacent pair whose concatenation has the lowest rank (the leftmost of equal ones) until no
// adjacent pair is a token. Short pieces use tiktoken's own quadratic scan over a small array;
// long ones (a long word, a run of symbols) a heap, with the same merge order, so that a hostile
// input costs n log n.

#include <cstdint>
#include <string_view>
#include <vector>

#include "tokenizer/rank_table.hpp"

namespace switchyard::tokenizer {

// Appends the piece's token ids to `out`.
void bytePairEncode(const RankTable& ranks, std::string_view piece, std::vector<uint32_t>& out);

// The number of tokens bytePairEncode would append.
size_t bytePairCount(const RankTable& ranks, std::string_view piece);

}  // namespace switchyard::tokenizer
