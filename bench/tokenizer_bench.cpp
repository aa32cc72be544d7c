// The in-process tokenizer's throughput (src/tokenizer/, docs/cost-control.md): bytes counted per
// second of CPU time on one core, for both encodings, on the tokenizer's test corpus
// (tests/fixtures/tokenizer/corpus.jsonl: multilingual text, code, emoji, whitespace runs,
// digits, very long words) and on its ASCII strings (English and code, the common case).
//
//   build/bench/tokenizer_bench --benchmark_min_time=1
#include <benchmark/benchmark.h>

#include <boost/json.hpp>
#include <fstream>
#include <string>
#include <vector>

#include "tokenizer/encoding.hpp"

namespace switchyard::tokenizer {
namespace {

const std::vector<std::string>& corpus(bool asciiOnly) {
  static const auto load = [](bool ascii) {
    std::vector<std::string> out;
    std::ifstream in(SWITCHYARD_SOURCE_DIR "/tests/fixtures/tokenizer/corpus.jsonl",
                     std::ios::binary);
    std::string line;
    while (std::getline(in, line, '\n')) {
      std::string text(boost::json::parse(line).as_array().at(0).as_string());
      bool isAscii = true;
      for (const char c : text) isAscii = isAscii && static_cast<unsigned char>(c) < 0x80;
      if (!ascii || isAscii) out.push_back(std::move(text));
    }
    return out;
  };
  static const std::vector<std::string> all = load(false), ascii = load(true);
  return asciiOnly ? ascii : all;
}

void count(benchmark::State& state, const Encoding& (*encoding)(), bool asciiOnly) {
  const Encoding& e = encoding();
  const auto& texts = corpus(asciiOnly);
  if (texts.empty() || !e.error().empty()) {
    state.SkipWithError("no corpus or vocabulary");
    return;
  }
  size_t bytes = 0;
  for (const auto& t : texts) bytes += t.size();
  size_t tokens = 0;
  for (auto _ : state) {
    for (const auto& t : texts) tokens += e.count(t);
    benchmark::DoNotOptimize(tokens);
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes * state.iterations()));
  state.counters["strings"] = static_cast<double>(texts.size());
}

BENCHMARK_CAPTURE(count, o200k_base_corpus, &o200kBase, false);
BENCHMARK_CAPTURE(count, cl100k_base_corpus, &cl100kBase, false);
BENCHMARK_CAPTURE(count, o200k_base_ascii, &o200kBase, true);
BENCHMARK_CAPTURE(count, cl100k_base_ascii, &cl100kBase, true);

}  // namespace
}  // namespace switchyard::tokenizer

BENCHMARK_MAIN();
