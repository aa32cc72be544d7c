#pragma once
// Scrape-time counters per guardrail of the current config: requests checked, blocked, values
// masked (or redacted) and findings only logged. The counters belong to the compiled guardrails
// (GuardrailSet), which a reload that keeps the guardrails list hands on; a changed list starts
// them again from zero (a counter reset, as Prometheus allows).

#include "config/snapshot_source.hpp"
#include "telemetry/metrics_registry.hpp"

namespace switchyard {

// A collector for MetricsRegistry::addCollector; `source` must outlive the registry's scrapes.
MetricsCollector guardrailCollector(const SnapshotSource& source);

}  // namespace switchyard
