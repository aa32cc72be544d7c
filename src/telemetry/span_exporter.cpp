#include "telemetry/span_exporter.hpp"

#include <pthread.h>

#include "telemetry/log.hpp"
#include "telemetry/otlp_protobuf.hpp"

namespace switchyard {

namespace {
std::atomic<SpanExporter*> gExporter{nullptr};
std::atomic<uint64_t> gNextExporterId{1};
// The https collector's TLS context (before the exporter thread starts); null for http, or when
// it cannot be made (`error` says why).
SslCtxPtr collectorTls(const TelemetrySettings& settings, std::string& error) {
  if (!settings.otlpTracesUrl.tls) return nullptr;
  auto ctx = makeCollectorTlsContext(settings.otlpCaFile);
  if (!ctx) {
    error = ctx.error().message;
    return nullptr;
  }
  return std::move(*ctx);
}

}  // namespace

void setSpanExporter(SpanExporter* exporter) {
  gExporter.store(exporter, std::memory_order_release);
}
SpanExporter* spanExporter() { return gExporter.load(std::memory_order_acquire); }

SpanExporter::SpanExporter(const TelemetrySettings& settings)
    : settings_(settings),
      resource_{settings.serviceName, SWITCHYARD_VERSION},
      id_(gNextExporterId.fetch_add(1)),
      tls_(collectorTls(settings, tlsError_)),
      poster_(settings.otlpTracesUrl, tls_.get()),
      thread_([this] { run(); }) {
  if (!tlsError_.empty()) logWarn("traces: " + tlsError_ + "; no span can be exported");
}

SpanExporter::~SpanExporter() {
  {
    std::lock_guard lock(wakeMutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

SpanRing& SpanExporter::ringForThisThread() {
  // One ring per (thread, exporter); the exporter outlives the workers that write to it.
  thread_local uint64_t owner = 0;
  thread_local SpanRing* ring = nullptr;
  if (owner != id_) {
    std::lock_guard lock(ringsMutex_);
    ring = rings_.emplace_back(std::make_unique<SpanRing>(settings_.maxQueueSize)).get();
    owner = id_;
  }
  return *ring;
}

SpanRecord* SpanExporter::claim() { return ringForThisThread().claim(); }

void SpanExporter::submit() {
  // A full batch wakes the exporter before its tick: once per batch, so the lock is rare.
  if (ringForThisThread().publish() != settings_.maxExportBatchSize) return;
  {
    std::lock_guard lock(wakeMutex_);
    nudged_ = true;
  }
  wake_.notify_one();
}

size_t SpanExporter::queued() const {
  std::lock_guard lock(ringsMutex_);
  size_t n = 0;
  for (const auto& r : rings_) n += r->queued();
  return n;
}

uint64_t SpanExporter::dropped() const {
  std::lock_guard lock(ringsMutex_);
  uint64_t n = 0;
  for (const auto& r : rings_) n += r->dropped();
  return n;
}

size_t SpanExporter::takeBatch() {
  if (settings_.otlpProtocol == TelemetrySettings::OtlpProtocol::kHttpProtobuf) {
    OtlpProtoBatch batch(body_, resource_, UnixTimeOfSteady::now());
    return fillBatch(batch);
  }
  OtlpTraceBatch batch(body_, resource_, UnixTimeOfSteady::now());
  return fillBatch(batch);
}

template <class Batch>
size_t SpanExporter::fillBatch(Batch& batch) {
  std::vector<SpanRing*> rings;
  {
    std::lock_guard lock(ringsMutex_);
    for (auto& r : rings_) rings.push_back(r.get());
  }
  const size_t max = settings_.maxExportBatchSize;
  // Starting from a different ring each time, so no worker's spans wait behind another's.
  for (size_t i = 0; i < rings.size() && batch.spans() < max; ++i) {
    rings[(nextRing_ + i) % rings.size()]->drain(max - batch.spans(),
                                                 [&](const SpanRecord& span) { batch.add(span); });
  }
  if (!rings.empty()) nextRing_ = (nextRing_ + 1) % rings.size();
  batch.finish();
  return batch.spans();
}

bool SpanExporter::exportBatch(size_t spans) {
  const bool protobuf = settings_.otlpProtocol == TelemetrySettings::OtlpProtocol::kHttpProtobuf;
  const PostResult r =
      settings_.otlpTracesUrl.tls && !tls_
          ? PostResult{0, tlsError_}
          : poster_.post(protobuf ? "application/x-protobuf" : "application/json", body_.view(),
                         settings_.otlpHeaders, settings_.exportTimeout);
  if (r.status >= 200 && r.status < 300) {
    exported_.fetch_add(spans, std::memory_order_relaxed);
    return true;
  }
  // Spans of a failed export are not retried: the rings keep filling meanwhile.
  const uint64_t failures = failed_.fetch_add(1, std::memory_order_relaxed);
  if (failures % 100 == 0) {
    logWarn("trace export to " + settings_.otlpTracesUrl.toString() + " failed (" +
            (r.status ? "HTTP " + std::to_string(r.status) : r.error) + "); " +
            std::to_string(spans) + " spans lost");
  }
  return false;
}

void SpanExporter::run() {
  pthread_setname_np(pthread_self(), "sy-span-export");
  bool lastFailed = false;
  bool backlog = false;  // a whole batch is waiting (or stopping): no sleep
  for (;;) {
    bool stop;
    {
      std::unique_lock lock(wakeMutex_);
      if (!backlog) {
        wake_.wait_for(lock, settings_.exportInterval, [&] { return stopping_ || nudged_; });
      }
      nudged_ = false;
      stop = stopping_;
    }
    // At shutdown the queued spans are sent batch after batch, and none after a failure: a dead
    // collector must not hold up the exit by a timeout per batch.
    if (stop && lastFailed) return;
    const size_t spans = takeBatch();
    if (spans > 0) lastFailed = !exportBatch(spans);
    if (stop && spans == 0) return;
    // Another batch right away only when a whole one is waiting: the few spans that came in
    // during an export wait for the next nudge or tick, or every full batch would be followed by
    // a small one, and each export has a fixed cost (~0.1 ms of CPU) whatever its size.
    backlog = stop || queued() >= settings_.maxExportBatchSize;
  }
}

}  // namespace switchyard
