#pragma once
// The admin API's spend routes: GET /spend/logs (one row per request) and
// GET /global/spend/report (totals grouped by team, key, user, model or day).

#include <cstdint>
#include <string>
#include <string_view>

#include "governance/governance.hpp"

namespace switchyard::admin_api {

// `keyId`: the id of the api_key the query names (empty: any key).
AdminReply spendLogs(Store& store, std::string_view query, std::string keyId);
AdminReply spendReport(Store& store, std::string_view query, int64_t now);

}  // namespace switchyard::admin_api
