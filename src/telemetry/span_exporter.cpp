#include "telemetry/span_exporter.hpp"

#include <pthread.h>

#include <algorithm>

#include "core/log.hpp"
#include "telemetry/otlp_protobuf.hpp"

namespace switchyard {

SpanExporter::SpanExporter(const TelemetrySettings& settings)
    : settings_(settings),
      resource_{settings.serviceName, SWITCHYARD_VERSION},
      collector_(settings),
      // A batch's worth, so that each wake-up can send one (a wake-up has a fixed cost, mostly
      // the switches of a core between a worker and this thread), but no more than half a ring:
      // the other half takes the spans that come while the exporter is being scheduled and posting.
      nudgeAt_(
          std::max<size_t>(1, std::min(settings.maxExportBatchSize, settings.maxQueueSize / 2))),
      thread_([this] { run(); }) {
  if (!collector_.setupError().empty()) {
    logWarn("traces: " + collector_.setupError() + "; no span can be exported");
  }
}

SpanExporter::~SpanExporter() {
  {
    std::lock_guard lock(wakeMutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

SpanRecord* SpanExporter::claim() { return ringForThisThread().claim(); }

void SpanExporter::submit() {
  // A ring that fills wakes the exporter before its tick, once every nudgeAt_ spans: the lock is
  // rare.
  if (ringForThisThread().publish() != nudgeAt_) return;
  {
    std::lock_guard lock(wakeMutex_);
    nudged_ = true;
  }
  wake_.notify_one();
}

size_t SpanExporter::queued() const {
  size_t n = 0;
  rings_.forEach([&n](const SpanRing& r) { n += r.queued(); });
  return n;
}

uint64_t SpanExporter::dropped() const {
  uint64_t n = 0;
  rings_.forEach([&n](const SpanRing& r) { n += r.dropped(); });
  return n;
}

size_t SpanExporter::openSpans() const {
  if (!open_) return 0;
  return std::visit([](const auto& batch) { return batch.spans(); }, *open_);
}

void SpanExporter::fillOpenBatch() {
  std::vector<SpanRing*> rings;
  rings_.forEach([&rings](SpanRing& r) { rings.push_back(&r); });
  size_t waiting = 0;
  for (SpanRing* r : rings) waiting += r->queued();
  if (waiting == 0) return;
  if (!open_) {
    openedAt_ = std::chrono::steady_clock::now();
    if (settings_.otlpProtocol == TelemetrySettings::OtlpProtocol::kHttpProtobuf) {
      open_.emplace(std::in_place_type<OtlpProtoBatch>, body_, resource_, UnixTimeOfSteady::now());
    } else {
      open_.emplace(std::in_place_type<OtlpTraceBatch>, body_, resource_, UnixTimeOfSteady::now());
    }
  }
  std::visit(
      [&](auto& batch) {
        const size_t max = settings_.maxExportBatchSize;
        // Starting from a different ring each time, so no worker's spans wait behind another's.
        for (size_t i = 0; i < rings.size() && batch.spans() < max; ++i) {
          rings[(nextRing_ + i) % rings.size()]->drain(
              max - batch.spans(), [&](const SpanRecord& span) { batch.add(span); });
        }
      },
      *open_);
  nextRing_ = (nextRing_ + 1) % rings.size();
}

size_t SpanExporter::sendOpenBatch() {
  const size_t spans = openSpans();
  const std::string_view body =
      std::visit([](auto& batch) -> std::string_view { return batch.finish(); }, *open_);
  // The body stays in body_, which the batch only wrote to.
  open_.reset();
  return exportBatch(body, spans) ? spans : 0;
}

bool SpanExporter::exportBatch(std::string_view body, size_t spans) {
  const PostResult r = collector_.post(body);
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
  using Clock = std::chrono::steady_clock;
  bool lastFailed = false;
  bool backlog = false;  // more spans are waiting than a nudge's worth (or stopping): no sleep
  for (;;) {
    bool stop;
    {
      std::unique_lock lock(wakeMutex_);
      if (!backlog) {
        // An open batch goes out one interval after its first span at the latest.
        auto wait = settings_.exportInterval;
        if (openSpans() > 0) {
          wait = std::max(std::chrono::milliseconds(0),
                          std::chrono::duration_cast<std::chrono::milliseconds>(
                              openedAt_ + settings_.exportInterval - Clock::now()));
        }
        wake_.wait_for(lock, wait, [&] { return stopping_ || nudged_; });
      }
      nudged_ = false;
      stop = stopping_;
    }
    // At shutdown the queued spans are sent batch after batch, and none after a failure: a dead
    // collector must not hold up the exit by a timeout per batch.
    if (stop && lastFailed) return;
    fillOpenBatch();
    const size_t spans = openSpans();
    // Full batches go out at once; a partial one when its interval is up, or at shutdown. Each
    // export has a fixed cost (~0.1 ms of CPU here) whatever its size, so a batch is not sent
    // before it is full just because a nudge came.
    if (spans >= settings_.maxExportBatchSize ||
        (spans > 0 && (stop || Clock::now() - openedAt_ >= settings_.exportInterval))) {
      lastFailed = sendOpenBatch() == 0;
    } else if (stop && spans == 0) {
      return;
    }
    backlog = stop || queued() >= nudgeAt_;
  }
}

}  // namespace switchyard
