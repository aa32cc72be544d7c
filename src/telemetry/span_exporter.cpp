#include "telemetry/span_exporter.hpp"

#include "telemetry/blocking_http_post.hpp"
#include "telemetry/log.hpp"

namespace switchyard {

namespace {
std::atomic<SpanExporter*> gExporter{nullptr};
}

void setSpanExporter(SpanExporter* exporter) {
  gExporter.store(exporter, std::memory_order_release);
}
SpanExporter* spanExporter() { return gExporter.load(std::memory_order_acquire); }

SpanExporter::SpanExporter(const TelemetrySettings& settings)
    : settings_(settings), resource_{settings.serviceName, SWITCHYARD_VERSION}, thread_([this] {
        run();
      }) {}

SpanExporter::~SpanExporter() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

void SpanExporter::submit(std::string&& span) {
  bool full = false;
  {
    std::lock_guard lock(mutex_);
    if (queue_.size() >= settings_.maxQueueSize) {
      ++dropped_;
      return;
    }
    queue_.push_back(std::move(span));
    full = queue_.size() == settings_.maxExportBatchSize;
  }
  if (full) wake_.notify_one();
}

uint64_t SpanExporter::dropped() const {
  std::lock_guard lock(mutex_);
  return dropped_;
}

bool SpanExporter::exportBatch(const std::vector<std::string>& batch) {
  const std::string body = encodeOtlpTraces(batch, resource_);
  const PostResult r = blockingHttpPost(settings_.otlpTracesUrl, "application/json", body,
                                        settings_.otlpHeaders, settings_.exportTimeout);
  if (r.status >= 200 && r.status < 300) {
    exported_.fetch_add(batch.size(), std::memory_order_relaxed);
    return true;
  }
  // Spans of a failed export are not retried: the queue keeps filling meanwhile.
  const uint64_t failures = failed_.fetch_add(1, std::memory_order_relaxed);
  if (failures % 100 == 0) {
    logWarn("trace export to " + settings_.otlpTracesUrl.toString() + " failed (" +
            (r.status ? "HTTP " + std::to_string(r.status) : r.error) + "); " +
            std::to_string(batch.size()) + " spans lost");
  }
  return false;
}

void SpanExporter::run() {
  std::vector<std::string> batch;
  bool lastFailed = false;
  for (;;) {
    bool stop;
    {
      std::unique_lock lock(mutex_);
      wake_.wait_for(lock, settings_.exportInterval,
                     [&] { return stopping_ || queue_.size() >= settings_.maxExportBatchSize; });
      stop = stopping_;
      const size_t n = std::min(queue_.size(), settings_.maxExportBatchSize);
      batch.assign(std::make_move_iterator(queue_.begin()),
                   std::make_move_iterator(queue_.begin() + ptrdiff_t(n)));
      queue_.erase(queue_.begin(), queue_.begin() + ptrdiff_t(n));
    }
    // At shutdown one last batch is sent, and none when the collector just failed: a dead
    // collector must not hold up the exit by a timeout per batch.
    if (!batch.empty() && !(stop && lastFailed)) lastFailed = !exportBatch(batch);
    batch.clear();
    if (stop) return;
  }
}

}  // namespace switchyard
