// The tokenizer against the reference: every string of tests/fixtures/tokenizer/corpus.jsonl
// (tools/tokenizer/gen_corpus.mjs: the npm tiktoken's ids) encodes to the same ids with both
// encodings, and counts as many.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fstream>
#include <string>
#include <vector>

#include "tokenizer/encoding.hpp"

namespace switchyard::tokenizer {
namespace {

struct Sample {
  std::string text;
  std::vector<uint32_t> ids[2];  // o200k_base, cl100k_base
};

const std::vector<Sample>& corpus() {
  static const std::vector<Sample> samples = [] {
    std::vector<Sample> out;
    std::ifstream in(SWITCHYARD_SOURCE_DIR "/tests/fixtures/tokenizer/corpus.jsonl",
                     std::ios::binary);
    std::string line;
    // Lines end at '\n' only: U+2028 and U+0085 inside the texts are not line ends here.
    while (std::getline(in, line, '\n')) {
      const auto row = boost::json::parse(line).as_array();
      Sample s;
      s.text = row.at(0).as_string();
      for (int e = 0; e < 2; ++e) {
        for (const auto& id : row.at(1 + e).as_array()) {
          s.ids[e].push_back(static_cast<uint32_t>(id.as_int64()));
        }
      }
      out.push_back(std::move(s));
    }
    return out;
  }();
  return samples;
}

void expectCorpus(const Encoding& encoding, int column) {
  ASSERT_TRUE(encoding.error().empty()) << encoding.error();
  ASSERT_GE(corpus().size(), 10000u);
  size_t mismatches = 0;
  for (size_t i = 0; i < corpus().size(); ++i) {
    const Sample& s = corpus()[i];
    const auto ids = encoding.encode(s.text);
    if (ids != s.ids[column] || encoding.count(s.text) != s.ids[column].size()) {
      if (++mismatches <= 5) {
        ADD_FAILURE() << encoding.name() << ", line " << i + 1 << ": "
                      << boost::json::serialize(boost::json::string(s.text)) << " gives "
                      << ids.size() << " tokens, the reference " << s.ids[column].size();
      }
    }
  }
  EXPECT_EQ(mismatches, 0u);
}

TEST(TokenizerCorpus, O200kBaseIsIdenticalToTiktoken) { expectCorpus(o200kBase(), 0); }

TEST(TokenizerCorpus, Cl100kBaseIsIdenticalToTiktoken) { expectCorpus(cl100kBase(), 1); }

}  // namespace
}  // namespace switchyard::tokenizer
