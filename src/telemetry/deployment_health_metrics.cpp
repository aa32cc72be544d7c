#include "telemetry/deployment_health_metrics.hpp"

#include "routing/deployment_state.hpp"

namespace switchyard {

MetricsCollector deploymentHealthCollector(const SnapshotSource& source) {
  return [&source](PrometheusWriter& w) {
    const auto snapshot = source.get();
    // Labels are configured deployments only, so the series stay bounded.
    const auto health = deploymentHealthSnapshot(*snapshot);
    using Type = PrometheusWriter::Type;
    constexpr BreakerState kStates[] = {BreakerState::kClosed, BreakerState::kOpen,
                                        BreakerState::kHalfOpen};
    w.family("switchyard_deployment_state", Type::kGauge,
             "1 for the deployment's circuit-breaker state (healthy, cooling_down, probing), "
             "0 for the others");
    for (const auto& d : health) {
      for (BreakerState s : kStates) {
        w.sample(
            "switchyard_deployment_state",
            {{"deployment", d.id}, {"model_group", d.modelName}, {"state", breakerStateName(s)}},
            int64_t{d.breaker == s ? 1 : 0});
      }
    }
    w.family("switchyard_deployment_cooldown_remaining_seconds", Type::kGauge,
             "Seconds until a cooling-down deployment is probed again");
    for (const auto& d : health) {
      w.sample("switchyard_deployment_cooldown_remaining_seconds", {{"deployment", d.id}},
               d.cooldownRemainingSeconds);
    }
    w.family("switchyard_deployment_in_flight", Type::kGauge,
             "Requests the router has in flight on the deployment");
    for (const auto& d : health) {
      w.sample("switchyard_deployment_in_flight", {{"deployment", d.id}}, int64_t{d.inFlight});
    }
    w.family("switchyard_deployment_failures_total", Type::kCounter,
             "Failed attempts on the deployment since start (these feed the cooldowns)");
    for (const auto& d : health) {
      w.sample("switchyard_deployment_failures_total", {{"deployment", d.id}},
               uint64_t{d.totalFailures});
    }
  };
}

}  // namespace switchyard
