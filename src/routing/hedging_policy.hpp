#pragma once
// When to race a second deployment against a slow first one (switchyard_settings.router.hedging).
// Pure functions over the config and the first deployment's latency estimate, so the decision is
// tested without I/O; the attempt loop runs the race.

#include <chrono>
#include <optional>
#include <string_view>

#include "config/router_settings.hpp"

namespace switchyard {

class DeploymentState;

// The model group's hedging policy; null when the group does not opt in. Asked on every attempt,
// so most configs, which hedge nothing, skip the lookup.
inline const HedgingPolicy* hedgingPolicyFor(const RouterSettings& settings,
                                             std::string_view group) {
  if (settings.hedging.empty()) return nullptr;
  auto it = settings.hedging.find(group);
  return it == settings.hedging.end() ? nullptr : &it->second;
}

// How long the first attempt may take to answer before a second one is raced against it: the
// fixed `delay` when set, else max(min_delay, latency_factor × the deployment's moving average
// latency (time to first token for streams)). No value while that average has no sample yet: a
// guess could double the load on a deployment that is merely unknown.
std::optional<std::chrono::milliseconds> hedgeDelay(const HedgingPolicy& policy,
                                                    const DeploymentState& first, bool stream);

}  // namespace switchyard
