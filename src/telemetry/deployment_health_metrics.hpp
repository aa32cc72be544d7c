#pragma once
// Scrape-time gauges of the router's per-deployment state: breaker state, cooldown left, load
// and failures, read from the routing table (routing/deployment_state) of the current snapshot.

#include "config/snapshot_source.hpp"
#include "telemetry/metrics_registry.hpp"

namespace switchyard {

// A collector for MetricsRegistry::addCollector; `source` must outlive the registry's scrapes.
MetricsCollector deploymentHealthCollector(const SnapshotSource& source);

}  // namespace switchyard
