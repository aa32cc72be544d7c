#pragma once
// The batch span processor and OTLP/HTTP (JSON or protobuf) exporter in one: each worker thread
// queues its finished spans as records in a ring of its own (bounded; when full, spans are dropped
// and counted, never waited for), and one thread encodes them and sends them in batches to the
// collector. A slow or dead collector costs the workers nothing, and the encoding is done off the
// request path.

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <variant>
#include <vector>

#include "config/telemetry_settings.hpp"
#include "telemetry/collector_client.hpp"
#include "telemetry/otlp_json.hpp"
#include "telemetry/otlp_protobuf.hpp"
#include "telemetry/per_thread.hpp"
#include "telemetry/span_ring.hpp"

namespace switchyard {

class SpanExporter {
 public:
  explicit SpanExporter(const TelemetrySettings& settings);
  // Exports what is queued, batch after batch, unless the collector fails (each batch is
  // bounded by the export timeout).
  ~SpanExporter();
  SpanExporter(const SpanExporter&) = delete;
  SpanExporter& operator=(const SpanExporter&) = delete;

  double sampleRatio() const { return settings_.sampleRatio; }

  // A record in this thread's ring to fill, then submit(); nullptr when the ring is full (the
  // span is dropped and counted). Never blocks on the network.
  SpanRecord* claim();
  void submit();

  uint64_t exported() const { return exported_.load(std::memory_order_relaxed); }
  size_t queued() const;  // spans in the rings, not yet taken into a batch
  uint64_t dropped() const;
  uint64_t failedExports() const { return failed_.load(std::memory_order_relaxed); }

 private:
  // The exporter outlives the workers that write to it.
  SpanRing& ringForThisThread() { return rings_.forThisThread(settings_.maxQueueSize); }
  void run();
  // Moves what the rings hold into the open batch (opened first if need be), up to a full one.
  void fillOpenBatch();
  size_t openSpans() const;
  // Finishes the open batch (there must be one) and exports it: the spans the collector took.
  size_t sendOpenBatch();
  bool exportBatch(std::string_view body, size_t spans);  // true when the collector took it

  const TelemetrySettings settings_;
  const TraceResource resource_;
  CollectorClient collector_;  // the exporter thread's; keeps its connection between batches
  PerThread<SpanRing> rings_;
  std::mutex wakeMutex_;
  std::condition_variable wake_;
  bool nudged_ = false;  // guarded by wakeMutex_
  bool stopping_ = false;
  TextBuffer body_;  // the exporter thread's, reused from batch to batch
  // The batch being filled, encoding into body_, and when its first span came in.
  std::optional<std::variant<OtlpTraceBatch, OtlpProtoBatch>> open_;
  std::chrono::steady_clock::time_point openedAt_{};
  // A worker wakes the exporter when its ring holds this many spans.
  const size_t nudgeAt_;
  size_t nextRing_ = 0;
  std::atomic<uint64_t> exported_{0};
  std::atomic<uint64_t> failed_{0};
  std::thread thread_;
};

}  // namespace switchyard
