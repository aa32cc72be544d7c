#pragma once
// The batch span processor and OTLP/HTTP JSON exporter in one: workers queue finished spans
// (bounded; when full, spans are dropped and counted, never waited for), and one thread sends
// them in batches to the collector. A slow or dead collector costs the workers nothing.

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "config/telemetry_settings.hpp"
#include "telemetry/span.hpp"

namespace switchyard {

class SpanExporter {
 public:
  explicit SpanExporter(const TelemetrySettings& settings);
  ~SpanExporter();  // one last export of what is queued (bounded by the export timeout)
  SpanExporter(const SpanExporter&) = delete;
  SpanExporter& operator=(const SpanExporter&) = delete;

  double sampleRatio() const { return settings_.sampleRatio; }

  // A span from SpanBuilder. Never blocks on the network; drops the span when the queue is full.
  void submit(std::string&& span);

  uint64_t exported() const { return exported_.load(std::memory_order_relaxed); }
  uint64_t dropped() const;
  uint64_t failedExports() const { return failed_.load(std::memory_order_relaxed); }

 private:
  void run();
  bool exportBatch(const std::vector<std::string>& batch);  // true when the collector took it

  const TelemetrySettings settings_;
  const TraceResource resource_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::vector<std::string> queue_;
  uint64_t dropped_ = 0;  // guarded by mutex_
  bool stopping_ = false;
  std::atomic<uint64_t> exported_{0};
  std::atomic<uint64_t> failed_{0};
  std::thread thread_;
};

// The exporter spans go to; nullptr turns tracing off. It must outlive every worker.
void setSpanExporter(SpanExporter* exporter);
SpanExporter* spanExporter();

}  // namespace switchyard
