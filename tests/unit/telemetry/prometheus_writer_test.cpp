#include "telemetry/prometheus_writer.hpp"

#include <gtest/gtest.h>

#include "telemetry/histogram.hpp"

namespace switchyard {
namespace {

using Type = PrometheusWriter::Type;

TEST(PrometheusWriter, FamilyAndSamplesInTextFormat) {
  PrometheusWriter w;
  w.family("x_total", Type::kCounter, "Things\\counted\nhere.");
  w.sample("x_total", {{"a", "1"}, {"b", "two"}}, uint64_t(42));
  w.sample("x_total", {}, int64_t(-3));
  w.sample("x_ratio", {{"k", "v"}}, 0.25);
  EXPECT_EQ(w.text(),
            "# HELP x_total Things\\\\counted\\nhere.\n"
            "# TYPE x_total counter\n"
            "x_total{a=\"1\",b=\"two\"} 42\n"
            "x_total -3\n"
            "x_ratio{k=\"v\"} 0.25\n");
}

TEST(PrometheusWriter, EscapesLabelValues) {
  PrometheusWriter w;
  w.sample("m", {{"l", "a\"b\\c\nd"}}, uint64_t(1));
  EXPECT_EQ(w.text(), "m{l=\"a\\\"b\\\\c\\nd\"} 1\n");
}

TEST(PrometheusWriter, NonFiniteValues) {
  PrometheusWriter w;
  w.sample("a", {}, std::numeric_limits<double>::infinity());
  w.sample("b", {}, std::nan(""));
  EXPECT_EQ(w.text(), "a +Inf\nb NaN\n");
}

TEST(PrometheusWriter, HistogramBucketsAreCumulativeWithInfSumAndCount) {
  static constexpr std::array<uint64_t, 3> kBounds = {10, 1'000, 2'500'000};
  HistogramTotals h{kBounds, {1, 2, 0, 4}, 5'500'000};
  PrometheusWriter w;
  w.family("d_seconds", Type::kHistogram, "Durations.");
  w.histogram("d_seconds", {{"g", "x"}}, h);
  EXPECT_EQ(w.text(),
            "# HELP d_seconds Durations.\n"
            "# TYPE d_seconds histogram\n"
            "d_seconds_bucket{g=\"x\",le=\"0.00001\"} 1\n"
            "d_seconds_bucket{g=\"x\",le=\"0.001\"} 3\n"
            "d_seconds_bucket{g=\"x\",le=\"2.5\"} 3\n"
            "d_seconds_bucket{g=\"x\",le=\"+Inf\"} 7\n"
            "d_seconds_sum{g=\"x\"} 5.5\n"
            "d_seconds_count{g=\"x\"} 7\n");
}

TEST(Histogram, ObservesIntoTheFirstBucketThatHoldsTheValue) {
  OverheadHistogram h(kOverheadBoundsUs);
  h.observe(std::chrono::microseconds(10));  // le 10 us (inclusive)
  h.observe(std::chrono::microseconds(11));  // le 25 us
  h.observe(std::chrono::microseconds(-5));  // clamped to 0
  h.observe(std::chrono::seconds(5));        // +Inf
  const auto v = h.view();
  EXPECT_EQ(v.buckets[0].load(), 2u);
  EXPECT_EQ(v.buckets[1].load(), 1u);
  EXPECT_EQ(v.buckets[v.buckets.size() - 1].load(), 1u);
  EXPECT_EQ(v.sumUs->load(), 10u + 11u + 5'000'000u);
}

}  // namespace
}  // namespace switchyard
