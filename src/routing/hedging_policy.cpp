#include "routing/hedging_policy.hpp"

#include <cmath>

#include "routing/deployment_state.hpp"

namespace switchyard {

const HedgingPolicy* hedgingPolicyFor(const RouterSettings& settings, std::string_view group) {
  // Most configs hedge nothing: skip the lookup then.
  if (settings.hedging.empty()) return nullptr;
  auto it = settings.hedging.find(group);
  return it == settings.hedging.end() ? nullptr : &it->second;
}

std::optional<std::chrono::milliseconds> hedgeDelay(const HedgingPolicy& policy,
                                                    const DeploymentState& first, bool stream) {
  if (policy.delay.count() > 0) return policy.delay;
  const int64_t averageUs = stream ? first.ttftUs() : first.latencyUs();
  if (averageUs < 0) return std::nullopt;
  const double ms = std::ceil(policy.latencyFactor * static_cast<double>(averageUs) / 1000.0);
  return std::max(policy.minDelay, std::chrono::milliseconds(static_cast<int64_t>(ms)));
}

}  // namespace switchyard
