// The tokenizer against the reference: every string of tests/fixtures/tokenizer/corpus.jsonl
// (tools/tokenizer/gen_corpus.mjs: the npm tiktoken's ids) encodes to the same ids with both
// encodings, and counts as many.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cstdlib>
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

std::vector<Sample> load(const std::string& path) {
  std::vector<Sample> out;
  std::ifstream in(path, std::ios::binary);
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
}

const std::vector<Sample>& corpus() {
  static const std::vector<Sample> samples =
      load(SWITCHYARD_SOURCE_DIR "/tests/fixtures/tokenizer/corpus.jsonl");
  return samples;
}

void expectSame(const Encoding& encoding, int column, const std::vector<Sample>& samples) {
  ASSERT_TRUE(encoding.error().empty()) << encoding.error();
  size_t mismatches = 0;
  for (size_t i = 0; i < samples.size(); ++i) {
    const Sample& s = samples[i];
    const auto ids = encoding.encode(s.text);
    if (ids != s.ids[column] || encoding.count(s.text) != s.ids[column].size()) {
      if (++mismatches <= 5) {
        ADD_FAILURE() << encoding.name() << ", line " << i + 1 << ": "
                      << boost::json::serialize(boost::json::string(s.text)).substr(0, 200)
                      << " gives " << ids.size() << " tokens, the reference "
                      << s.ids[column].size();
      }
    }
  }
  EXPECT_EQ(mismatches, 0u);
}

TEST(TokenizerCorpus, O200kBaseIsIdenticalToTiktoken) {
  ASSERT_GE(corpus().size(), 10000u);
  expectSame(o200kBase(), 0, corpus());
}

TEST(TokenizerCorpus, Cl100kBaseIsIdenticalToTiktoken) {
  ASSERT_GE(corpus().size(), 10000u);
  expectSame(cl100kBase(), 1, corpus());
}

// Every assigned code point in five contexts (tools/tokenizer/gen_sweep.mjs writes the 53 MB
// file, not committed), when SWITCHYARD_TOKENIZER_SWEEP names it.
TEST(TokenizerSweep, EveryCodePointAsTheReference) {
  const char* path = std::getenv("SWITCHYARD_TOKENIZER_SWEEP");
  if (!path) GTEST_SKIP() << "SWITCHYARD_TOKENIZER_SWEEP is not set";
  const auto samples = load(path);
  ASSERT_GT(samples.size(), 20000u);
  expectSame(o200kBase(), 0, samples);
  expectSame(cl100kBase(), 1, samples);
}

}  // namespace
}  // namespace switchyard::tokenizer
