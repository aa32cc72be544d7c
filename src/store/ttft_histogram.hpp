#pragma once
// Time to first token per hourly rollup, as counts in fixed buckets (one column each in
// sy_spend_rollups): rows add up by plain sums, in SQL and here, so any range of hours, summed
// on any instance that shares the database, gives the same distribution. Percentiles are
// estimated from the buckets, interpolating within the one the rank falls in (as Prometheus'
// histogram_quantile does).

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace switchyard {

// Upper bounds in milliseconds; a last bucket takes everything above the last bound. Finer where
// first tokens usually arrive (a few hundred ms to a few seconds). Never change them: rows
// already written count against these bounds (a new set would be new columns).
inline constexpr std::array<int64_t, 15> kTtftBoundsMs = {
    50, 100, 200, 300, 400, 500, 750, 1'000, 1'500, 2'000, 3'000, 5'000, 10'000, 20'000, 60'000};
inline constexpr size_t kTtftBuckets = kTtftBoundsMs.size() + 1;

using TtftCounts = std::array<int64_t, kTtftBuckets>;

// The bucket a time to first token falls in (a negative one counts as 0).
size_t ttftBucketOf(int64_t ms);

// The `q` quantile (0..1) in milliseconds, or none when the counts are all 0. A rank in the
// last, unbounded bucket is answered with the last bound.
std::optional<double> ttftQuantile(const TtftCounts& counts, double q);

// The buckets' column names in sy_spend_rollups, in order: "ttft_le_50ms", ...,
// "ttft_le_60000ms", then "ttft_gt_60000ms".
std::string_view ttftColumn(size_t bucket);

}  // namespace switchyard
