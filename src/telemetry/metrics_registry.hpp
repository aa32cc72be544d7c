#pragma once
// GET /metrics: sums every worker's counters at scrape time and renders them, plus whatever
// the registered collectors add (gauges computed at scrape time).

#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "telemetry/prometheus_writer.hpp"

namespace switchyard {

class WorkerMetrics;
class PoolStats;
struct Snapshot;

// Appends samples (with their family lines) at scrape time. Runs on the scraping thread, so it
// must read its data in a thread-safe way (atomics, or its own lock). Routing plugs deployment
// health and cooldown gauges in here; the telemetry sinks their drop counters.
using MetricsCollector = std::function<void(PrometheusWriter&)>;

class MetricsRegistry {
 public:
  // Before the workers start: the sources read at every scrape, owned by the worker.
  void addWorker(const WorkerMetrics& metrics, const PoolStats& pool);
  // Any time.
  void addCollector(MetricsCollector collector);

  // Upstream pool samples are labeled by origin: all the origins used (tests), or only those a
  // deployment of `snapshot` points at, the others summed as "_other".
  std::string render() const;
  std::string render(const Snapshot& snapshot) const;

 private:
  std::string render(const Snapshot* snapshot) const;

  struct WorkerSources {
    const WorkerMetrics* metrics;
    const PoolStats* pool;
  };
  mutable std::mutex mutex_;  // the scrape and registration, never the request path
  std::vector<WorkerSources> workers_;
  std::vector<MetricsCollector> collectors_;
};

}  // namespace switchyard
