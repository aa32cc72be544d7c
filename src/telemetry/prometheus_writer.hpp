#pragma once
// Writes the Prometheus text exposition format (version 0.0.4): families with HELP and TYPE,
// samples with escaped label values, histograms with cumulative buckets. Only the scrape uses
// it, never the request path.

#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace switchyard {

struct MetricLabel {
  std::string_view name;
  std::string_view value;
};

// A histogram summed over workers and series: per-bucket counts (not cumulative), the last one
// for +Inf, with the sum of the observations in microseconds.
struct HistogramTotals {
  std::span<const uint64_t> boundsUs;
  std::vector<uint64_t> buckets;  // boundsUs.size() + 1
  uint64_t sumUs = 0;
};

class PrometheusWriter {
 public:
  enum class Type { kCounter, kGauge, kHistogram };

  // Starts a family: its HELP and TYPE lines. Samples of one family must follow it together.
  void family(std::string_view name, Type type, std::string_view help);
  void sample(std::string_view name, std::initializer_list<MetricLabel> labels, uint64_t value);
  void sample(std::string_view name, std::initializer_list<MetricLabel> labels, int64_t value);
  void sample(std::string_view name, std::initializer_list<MetricLabel> labels, double value);
  // name_bucket{...,le="..."} for each bound and +Inf, then name_sum (seconds) and name_count.
  void histogram(std::string_view name, std::initializer_list<MetricLabel> labels,
                 const HistogramTotals& h);

  const std::string& text() const { return out_; }
  std::string take() { return std::move(out_); }

 private:
  void labels(std::initializer_list<MetricLabel> labels, const MetricLabel* extra = nullptr);
  void value(uint64_t v);
  void value(double v);

  std::string out_;
};

// The value with backslash, double quote and line feed escaped as the format requires.
void appendEscapedLabelValue(std::string& out, std::string_view value);

}  // namespace switchyard
