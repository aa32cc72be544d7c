#pragma once
// GET /health: every deployment's routing state as JSON, without keys or full URLs.

#include <string>

#include "config/snapshot.hpp"

namespace switchyard {

// {"healthy_count", "unhealthy_count", "deployments": [{id, model_name, provider, api_base_host,
//  state, cooldown_remaining_s, rate_limited, in_flight, ...}]}
std::string healthReportJson(const Snapshot& snapshot);

}  // namespace switchyard
