#include "routing/hedging_policy.hpp"

#include <cmath>

#include "routing/deployment_state.hpp"

namespace switchyard {

std::optional<std::chrono::milliseconds> hedgeDelay(const HedgingPolicy& policy,
                                                    const DeploymentState& first, bool stream) {
  if (policy.delay.count() > 0) return policy.delay;
  const int64_t averageUs = stream ? first.ttftUs() : first.latencyUs();
  if (averageUs < 0) return std::nullopt;
  const double ms = std::ceil(policy.latencyFactor * static_cast<double>(averageUs) / 1000.0);
  return std::max(policy.minDelay, std::chrono::milliseconds(static_cast<int64_t>(ms)));
}

}  // namespace switchyard
