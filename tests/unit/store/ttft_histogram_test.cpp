#include "store/ttft_histogram.hpp"

#include <gtest/gtest.h>

namespace switchyard {
namespace {

TEST(TtftHistogram, ATimeFallsInTheFirstBucketWhoseBoundHoldsIt) {
  EXPECT_EQ(ttftBucketOf(-5), 0u);
  EXPECT_EQ(ttftBucketOf(0), 0u);
  EXPECT_EQ(ttftBucketOf(50), 0u);  // bounds are inclusive, as Prometheus' le
  EXPECT_EQ(ttftBucketOf(51), 1u);
  EXPECT_EQ(ttftBucketOf(1'000), 7u);
  EXPECT_EQ(ttftBucketOf(60'000), kTtftBoundsMs.size() - 1);
  EXPECT_EQ(ttftBucketOf(60'001), kTtftBoundsMs.size());  // the unbounded last bucket
  EXPECT_EQ(ttftColumn(0), "ttft_le_50ms");
  EXPECT_EQ(ttftColumn(7), "ttft_le_1000ms");
  EXPECT_EQ(ttftColumn(kTtftBuckets - 1), "ttft_gt_60000ms");
}

TEST(TtftHistogram, NoCountsHaveNoQuantile) { EXPECT_FALSE(ttftQuantile(TtftCounts{}, 0.5)); }

TEST(TtftHistogram, QuantilesInterpolateWithinTheBucketOfTheRank) {
  TtftCounts c{};
  // 100 requests: 50 in (100, 200], 50 in (300, 400].
  c[ttftBucketOf(150)] = 50;
  c[ttftBucketOf(350)] = 50;
  // The median's rank (50) is the end of the first bucket: its upper bound.
  EXPECT_DOUBLE_EQ(*ttftQuantile(c, 0.5), 200.0);
  // 25th: halfway through (100, 200].
  EXPECT_DOUBLE_EQ(*ttftQuantile(c, 0.25), 150.0);
  // 95th: rank 95, 45 of the 50 into (300, 400].
  EXPECT_DOUBLE_EQ(*ttftQuantile(c, 0.95), 390.0);
}

TEST(TtftHistogram, ARankInTheUnboundedBucketIsTheLastBound) {
  TtftCounts c{};
  c[0] = 1;
  c[kTtftBuckets - 1] = 9;
  EXPECT_DOUBLE_EQ(*ttftQuantile(c, 0.95), double(kTtftBoundsMs.back()));
  EXPECT_DOUBLE_EQ(*ttftQuantile(c, 0.05), 25.0);
}

}  // namespace
}  // namespace switchyard
