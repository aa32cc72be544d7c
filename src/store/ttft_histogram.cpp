#include "store/ttft_histogram.hpp"

namespace switchyard {

namespace {

constexpr std::array<std::string_view, kTtftBuckets> kColumns = {
    "ttft_le_50ms",    "ttft_le_100ms",   "ttft_le_200ms",   "ttft_le_300ms",
    "ttft_le_400ms",   "ttft_le_500ms",   "ttft_le_750ms",   "ttft_le_1000ms",
    "ttft_le_1500ms",  "ttft_le_2000ms",  "ttft_le_3000ms",  "ttft_le_5000ms",
    "ttft_le_10000ms", "ttft_le_20000ms", "ttft_le_60000ms", "ttft_gt_60000ms"};

}  // namespace

size_t ttftBucketOf(int64_t ms) {
  size_t i = 0;
  while (i < kTtftBoundsMs.size() && ms > kTtftBoundsMs[i]) ++i;
  return i;
}

std::optional<double> ttftQuantile(const TtftCounts& counts, double q) {
  int64_t total = 0;
  for (int64_t c : counts) total += c;
  if (total <= 0) return std::nullopt;
  q = q < 0 ? 0 : (q > 1 ? 1 : q);
  const double rank = q * static_cast<double>(total);
  int64_t below = 0;
  for (size_t i = 0; i < kTtftBuckets; ++i) {
    const int64_t c = counts[i];
    if (c > 0 && static_cast<double>(below + c) >= rank) {
      if (i == kTtftBoundsMs.size()) return static_cast<double>(kTtftBoundsMs.back());
      const double lower = i == 0 ? 0.0 : static_cast<double>(kTtftBoundsMs[i - 1]);
      const double upper = static_cast<double>(kTtftBoundsMs[i]);
      return lower + (upper - lower) * (rank - static_cast<double>(below)) / static_cast<double>(c);
    }
    below += c;
  }
  return static_cast<double>(kTtftBoundsMs.back());
}

std::string_view ttftColumn(size_t bucket) { return kColumns[bucket]; }

}  // namespace switchyard
