#include "telemetry/shared_limits_metrics.hpp"

#include "store/redis/shared_counters.hpp"

namespace switchyard {

MetricsCollector sharedLimitsCollector(const SnapshotSource& source) {
  return [&source](PrometheusWriter& w) {
    const auto snapshot = source.get();
    const SharedCounters* shared = snapshot->sharedCounters.get();
    if (!shared) return;
    const auto stats = shared->stats();
    using Type = PrometheusWriter::Type;
    w.family("switchyard_shared_limits_up", Type::kGauge,
             "1 while Redis answers and limits are shared across instances, 0 while this "
             "instance applies per-instance limits (limit / expected_instances)");
    w.sample("switchyard_shared_limits_up", {}, int64_t{shared->sharing() ? 1 : 0});
    w.family("switchyard_shared_limits_exchanges_total", Type::kCounter,
             "Pipelined exchanges of counters with Redis");
    w.sample("switchyard_shared_limits_exchanges_total", {}, stats.exchanges);
    w.family("switchyard_shared_limits_failures_total", Type::kCounter,
             "Exchanges with Redis that failed or timed out");
    w.sample("switchyard_shared_limits_failures_total", {}, stats.failures);
    w.family("switchyard_shared_limits_lease_grants_total", Type::kCounter,
             "Slices of rpm quotas Redis granted this instance");
    w.sample("switchyard_shared_limits_lease_grants_total", {}, stats.leaseGrants);
    w.family("switchyard_shared_limits_lease_waits_total", Type::kCounter,
             "Requests that waited for a slice of an rpm quota (once per slice, not per request)");
    w.sample("switchyard_shared_limits_lease_waits_total", {}, stats.leaseWaits);
  };
}

}  // namespace switchyard
