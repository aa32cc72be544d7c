#include "tokenizer/encoding.hpp"

#include "tokenizer/byte_pair.hpp"

// The vocabulary files, linked in by embedded_vocab.S (generated from embedded_vocab.S.in).
extern "C" {
extern const unsigned char switchyard_o200k_base[];
extern const unsigned char switchyard_o200k_base_end[];
extern const unsigned char switchyard_cl100k_base[];
extern const unsigned char switchyard_cl100k_base_end[];
}

namespace switchyard::tokenizer {

std::vector<uint32_t> Encoding::encode(std::string_view text) const {
  std::vector<uint32_t> out;
  if (!ranks_.error().empty()) return out;
  out.reserve(text.size() / 3);
  PreTokenizer pieces(pattern_, text);
  for (std::string_view piece = pieces.next(); !piece.empty(); piece = pieces.next()) {
    // A piece that is a token is that token, without merging (tiktoken does the same; merging
    // would not always arrive at it).
    if (const uint32_t rank = ranks_.find(piece); rank != RankTable::kNone) {
      out.push_back(rank);
    } else {
      bytePairEncode(ranks_, piece, out);
    }
  }
  return out;
}

size_t Encoding::count(std::string_view text) const {
  if (!ranks_.error().empty()) return 0;
  size_t n = 0;
  PreTokenizer pieces(pattern_, text);
  for (std::string_view piece = pieces.next(); !piece.empty(); piece = pieces.next()) {
    n += ranks_.find(piece) != RankTable::kNone ? 1 : bytePairCount(ranks_, piece);
  }
  return n;
}

const Encoding& o200kBase() {
  static const Encoding encoding(
      "o200k_base", Pattern::kO200k,
      {switchyard_o200k_base,
       static_cast<size_t>(switchyard_o200k_base_end - switchyard_o200k_base)});
  return encoding;
}

const Encoding& cl100kBase() {
  static const Encoding encoding(
      "cl100k_base", Pattern::kCl100k,
      {switchyard_cl100k_base,
       static_cast<size_t>(switchyard_cl100k_base_end - switchyard_cl100k_base)});
  return encoding;
}

}  // namespace switchyard::tokenizer
