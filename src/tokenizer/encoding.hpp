#pragma once
// OpenAI's BPE encodings o200k_base and cl100k_base, byte-identical to tiktoken's
// encode_ordinary (special tokens such as <|endoftext|> are plain text here, as when LiteLLM and
// OpenAI's cookbook count a prompt). The vocabularies are embedded in the binary
// (data/tiktoken/, embedded_vocab.S.in) and indexed on first use of each encoding (~20 ms).

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tokenizer/pretokenizer.hpp"
#include "tokenizer/rank_table.hpp"

namespace switchyard::tokenizer {

class Encoding {
 public:
  Encoding(std::string_view name, Pattern pattern, std::span<const unsigned char> vocabulary)
      : name_(name), pattern_(pattern), ranks_(vocabulary) {}

  std::string_view name() const { return name_; }
  // Empty unless the vocabulary could not be read (then every text counts zero tokens).
  const std::string& error() const { return ranks_.error(); }
  uint32_t vocabularySize() const { return ranks_.size(); }

  std::vector<uint32_t> encode(std::string_view text) const;
  size_t count(std::string_view text) const;
  // The bytes of a token id (for tests and diagnostics); empty for an unknown id.
  std::string_view token(uint32_t id) const {
    return id < ranks_.size() ? ranks_.token(id) : std::string_view();
  }

 private:
  std::string_view name_;
  Pattern pattern_;
  RankTable ranks_;
};

const Encoding& o200kBase();
const Encoding& cl100kBase();

}  // namespace switchyard::tokenizer
