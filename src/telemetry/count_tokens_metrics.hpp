#pragma once
// POST /v1/messages/count_tokens, counted apart from the model endpoints (it generates nothing
// and costs nothing, so it must not skew their request rates and latencies): answers by HTTP
// status and one latency histogram. Written by the worker's thread only, read at scrape time.

#include <array>
#include <chrono>

#include "telemetry/histogram.hpp"

namespace switchyard {

class CountTokensMetrics {
 public:
  // Statuses are HTTP codes (0: the client went away first), so the label set is bounded.
  static constexpr int kMaxStatus = 599;

  void record(int status, std::chrono::microseconds total) {
    ++byStatus_[status >= 0 && status <= kMaxStatus ? size_t(status) : 0];
    latency_.observe(total);
  }

  // Any thread: f(status, answers) for each status seen.
  template <class F>
  void forEachStatus(F&& f) const {
    for (size_t i = 0; i < byStatus_.size(); ++i) {
      if (const uint64_t n = byStatus_[i].load(); n > 0) f(int(i), n);
    }
  }
  HistogramView latency() const { return latency_.view(); }

 private:
  std::array<RelaxedCounter, kMaxStatus + 1> byStatus_;
  LatencyHistogram latency_{kLatencyBoundsUs};
};

}  // namespace switchyard
