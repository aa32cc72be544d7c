#pragma once
// GET /spend/buckets: spend, requests and tokens per hour or per day, optionally split by key,
// team, user, model, model group or deployment, read from the hourly rollups (so its cost grows
// with hours x combinations, not with requests). The admin UI's charts use it; so can scripts.
// See docs/ui.md#admin-api-additions.

#include <string>
#include <string_view>

#include "governance/governance.hpp"

namespace switchyard::admin_api {

// `keyId`: the id of the api_key the query filters on (empty: any key).
AdminReply spendBuckets(Store& store, const Registry& registry, std::string_view query,
                        const std::string& keyId, int64_t now);

}  // namespace switchyard::admin_api
