#pragma once
// Who may call each route, in one place. The request router looks a route's rule up before any
// handler runs, so no handler checks keys itself. Model routes are authenticated by the
// pipeline's KeyAuth stage, which also learns whose key pays (budgets, limits, spend); every
// other route by its rule here, and the public ones are exempted here by name.

#include <optional>
#include <string_view>

#include "config/snapshot.hpp"
#include "core/error.hpp"

namespace switchyard {

enum class RouteAuth {
  kPublic,      // liveness, readiness, /metrics: probes and scrapers carry no key
  kGatewayKey,  // the master key or a virtual key (/v1/models, count_tokens)
  kMasterKey,   // the master key only (/health, the admin API); a virtual key is refused
  kPipeline,    // the model endpoints: the pipeline's KeyAuth stage decides
};

// The refusal for `presented` on a route with rule `auth`; nullopt when admitted. kPipeline
// routes are always admitted here.
std::optional<Error> authorizeRoute(RouteAuth auth, const Snapshot& snapshot,
                                    std::string_view presented);

}  // namespace switchyard
