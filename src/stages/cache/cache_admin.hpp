#pragma once
// The cache's admin API (master key only, routed by server/request_router): GET /cache/stats and
// DELETE /cache?namespace=<ns> (every entry when no namespace is named), both covering the Redis
// level when there is one. Both answer 404 when the running config has no cache.

#include <string>
#include <string_view>

#include "config/snapshot.hpp"
#include "config/snapshot_source.hpp"
#include "core/async.hpp"
#include "core/error.hpp"
#include "telemetry/metrics_registry.hpp"

namespace switchyard {

// The JSON body of the answer, or the error to answer with.
Result<std::string> cacheStats(const Snapshot& snapshot);
// Flushes memory first, then Redis: a Redis that does not answer is a 503 that says what was
// flushed (repeating the call is safe).
Task<Result<std::string>> flushCache(const Snapshot& snapshot, std::string_view query);

// The cache's counters for /metrics, read from the current snapshot's cache at scrape time;
// `source` must outlive the registry's scrapes.
MetricsCollector cacheMetricsCollector(const SnapshotSource& source);

}  // namespace switchyard
