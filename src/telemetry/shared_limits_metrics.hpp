#pragma once
// Scrape-time metrics of the counters shared across instances through Redis
// (store/redis/shared_counters.hpp): whether Redis answers, exchanges, failures, lease grants
// and waits. Nothing is written while no Redis is configured.

#include "config/snapshot_source.hpp"
#include "telemetry/metrics_registry.hpp"

namespace switchyard {

// A collector for MetricsRegistry::addCollector; `source` must outlive the registry's scrapes.
MetricsCollector sharedLimitsCollector(const SnapshotSource& source);

}  // namespace switchyard
