#pragma once
// Chooses which deployments serve a model name, and in which order they are tried. Runs on every
// request, so it allocates nothing for configured groups: the answer is a fixed-size array of
// indices into the snapshot's deployments.

#include <array>
#include <cstdint>
#include <memory>
#include <string_view>

#include "config/snapshot.hpp"
#include "core/error.hpp"
#include "core/random.hpp"
#include "routing/deployment_state.hpp"
#include "routing/route_preferences.hpp"

namespace switchyard {

// Larger groups are routed over their first kMaxCandidates deployments.
inline constexpr size_t kMaxCandidates = 64;

struct Selection {
  std::array<uint32_t, kMaxCandidates> order{};  // indices into Snapshot::deployments, best first
  uint32_t count = 0;
  // A deployment made for this request from a wildcard route ("openai/*"); order is unused.
  std::shared_ptr<const Deployment> wildcard;
  // When nothing is available: the soonest a skipped deployment frees up, and which one. Only
  // waits worth making count (rate limits and load), never a breaker's cooldown.
  uint32_t skipped = 0;
  RouterClock::time_point soonest = RouterClock::time_point::max();
  int64_t soonestIndex = -1;                                        // -1: none worth waiting for
  RouterClock::time_point freeAt = RouterClock::time_point::max();  // any reason
  // Deployments left out because the request's input does not fit their context window.
  uint32_t tooLong = 0;
};

class ContextCheck;

struct RouteQuery {
  bool stream = false;
  const ProviderPreferences* preferences = nullptr;
  // Set: deployments whose context window the input cannot fit are left out (counted in
  // Selection::tooLong).
  ContextCheck* context = nullptr;
};

// The available deployments of the model's group ordered by `order`, then the configured
// strategy; or a deployment made from a wildcard route for "<prefix>/<name>". A group whose
// deployments are all cooling down or at their limits gives count 0. 404 listing the valid names
// when nothing matches.
Result<Selection> selectDeployments(const std::shared_ptr<const Snapshot>& snapshot,
                                    std::string_view model, FastRandom& rng,
                                    RouterClock::time_point now, const RouteQuery& query = {});

// 429 for a group with nothing available, with Retry-After from `selection.freeAt`; 404 when
// the request's provider preferences left nothing to choose from.
Error noDeploymentAvailable(std::string_view group, const Selection& selection,
                            RouterClock::time_point now);

}  // namespace switchyard
