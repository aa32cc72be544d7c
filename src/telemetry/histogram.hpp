#pragma once
// A Prometheus histogram as a fixed array of buckets (no allocation, no locks), written by one
// worker and read at scrape time. Buckets hold per-bucket counts; the scrape makes them
// cumulative.

#include <array>
#include <chrono>
#include <cstdint>
#include <span>

#include "telemetry/relaxed_counter.hpp"

namespace switchyard {

// Upper bounds in microseconds.
inline constexpr std::array<uint64_t, 15> kLatencyBoundsUs = {
    5'000,     10'000,    25'000,     50'000,     100'000,    250'000,     500'000,    1'000'000,
    2'500'000, 5'000'000, 10'000'000, 30'000'000, 60'000'000, 120'000'000, 300'000'000};
// The gateway's own time per request is tens of microseconds: finer buckets.
inline constexpr std::array<uint64_t, 13> kOverheadBoundsUs = {
    10, 25, 50, 100, 250, 500, 1'000, 2'500, 5'000, 10'000, 25'000, 50'000, 100'000};

// What the scrape reads: bucket counts (not cumulative), their bounds, the sum and the count.
struct HistogramView {
  std::span<const uint64_t> boundsUs;
  std::span<const RelaxedCounter> buckets;  // boundsUs.size() + 1, the last one is +Inf
  const RelaxedCounter* sumUs;
};

template <size_t N>
class Histogram {
 public:
  explicit Histogram(const std::array<uint64_t, N>& bounds) : bounds_(bounds) {}

  void observe(std::chrono::microseconds d) {
    const uint64_t us = d.count() > 0 ? uint64_t(d.count()) : 0;
    size_t i = 0;
    while (i < N && us > bounds_[i]) ++i;
    ++buckets_[i];
    sumUs_.add(us);
  }

  HistogramView view() const { return {bounds_, buckets_, &sumUs_}; }

 private:
  const std::array<uint64_t, N>& bounds_;
  std::array<RelaxedCounter, N + 1> buckets_;
  RelaxedCounter sumUs_;
};

using LatencyHistogram = Histogram<kLatencyBoundsUs.size()>;
using OverheadHistogram = Histogram<kOverheadBoundsUs.size()>;

}  // namespace switchyard
