#pragma once
// One worker's request counters and latency histograms, by model group, deployment, key alias
// and status. Written only by the worker's thread; the /metrics scrape reads them from any
// thread and sums the workers. Series are created on first use and never removed, so a scrape
// walks a published prefix of a fixed array while the worker appends.

#include <array>
#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "api/request.hpp"
#include "telemetry/count_tokens_metrics.hpp"
#include "telemetry/histogram.hpp"

namespace switchyard {

struct RequestContext;

// Label values of one request, already bounded (see boundedLabels).
struct RequestLabels {
  std::string_view modelGroup;
  std::string_view deployment;
  std::string_view keyAlias;
  int status = 0;
};

// What one finished request measured. Durations that did not happen are negative.
struct RequestMeasures {
  std::chrono::microseconds total{0};
  std::chrono::microseconds upstream{-1};
  std::chrono::microseconds timeToFirstToken{-1};
  Usage usage;
  double costUsd = 0.0;
  int retries = 0;
  int fallbacks = 0;
  int hedges = 0;
  int64_t middleOutTokensRemoved = 0;  // input tokens the middle-out transform took out
  bool usageUnknown = false;           // a complete answer whose provider reported no usage
};

struct RequestSeries {
  RequestSeries(std::string_view group, std::string_view deployment, std::string_view alias,
                int status);

  const std::string modelGroup;
  const std::string deployment;
  const std::string keyAlias;
  const int status;
  RelaxedCounter requests;
  RelaxedCounter inputTokens;
  RelaxedCounter outputTokens;
  RelaxedCounter cachedTokens;
  RelaxedCounter retries;
  RelaxedCounter fallbacks;
  RelaxedCounter hedges;
  RelaxedCounter middleOutTokensRemoved;
  RelaxedCounter usageUnknown;
  RelaxedSum costUsd;
  LatencyHistogram total{kLatencyBoundsUs};
  LatencyHistogram upstream{kLatencyBoundsUs};
  LatencyHistogram timeToFirstToken{kLatencyBoundsUs};
  OverheadHistogram overhead{kOverheadBoundsUs};
};

// Label value for anything outside the configured names: wildcard and unknown models, key
// aliases past the cap.
inline constexpr std::string_view kOtherLabel = "_other";
inline constexpr std::string_view kUnknownModelLabel = "_unknown";

class WorkerMetrics {
 public:
  static constexpr size_t kMaxSeries = 4096;
  static constexpr size_t kMaxKeyAliases = 1000;

  WorkerMetrics();
  WorkerMetrics(const WorkerMetrics&) = delete;
  WorkerMetrics& operator=(const WorkerMetrics&) = delete;

  // Worker thread only.
  void requestStarted() { ++inFlight_; }
  void requestEnded() { --inFlight_; }
  void record(const RequestLabels& labels, const RequestMeasures& m);

  // Any thread: the series published so far.
  template <class F>
  void forEachSeries(F&& f) const {
    const size_t n = published_.load(std::memory_order_acquire);
    for (size_t i = 0; i < n; ++i) f(*series_[i].load(std::memory_order_acquire));
  }
  int64_t inFlight() const { return inFlight_.load(); }

  CountTokensMetrics& countTokens() { return countTokens_; }
  const CountTokensMetrics& countTokens() const { return countTokens_; }

 private:
  struct KeyView {
    std::string_view group, deployment, alias;
    int status;
    bool operator==(const KeyView&) const = default;
  };
  struct KeyHash {
    size_t operator()(const KeyView& k) const;
  };

  RequestSeries& seriesFor(const RequestLabels& labels);

  // Worker-only index; its keys view the strings the series own.
  std::unordered_map<KeyView, RequestSeries*, KeyHash> index_;
  // The series found last, compared by content before the index is hashed: traffic is mostly
  // the same few label sets over and over. Keys view the series' own strings.
  struct Recent {
    KeyView key{};
    RequestSeries* series = nullptr;
  };
  std::array<Recent, 4> recent_{};
  size_t recentNext_ = 0;
  std::unordered_set<std::string> aliases_;
  std::vector<std::unique_ptr<RequestSeries>> owned_;
  std::unique_ptr<RequestSeries> overflow_;  // every label set past kMaxSeries
  std::array<std::atomic<RequestSeries*>, kMaxSeries + 1> series_{};
  std::atomic<size_t> published_{0};
  RelaxedGauge inFlight_;
  CountTokensMetrics countTokens_;
};

// The metric labels of a finished request, bounded: the configured model group, the wildcard
// pattern ("openai/*") that served it, or "_unknown"; the deployment id (wildcards have the
// pattern as id); the key alias as the key stages set it.
RequestLabels boundedLabels(const RequestContext& ctx);

RequestMeasures measuresOf(const RequestContext& ctx, std::chrono::steady_clock::time_point end);

}  // namespace switchyard
