#pragma once
// The admin API's spend routes: GET /spend/logs (one row per request) and
// GET /global/spend/report (totals grouped by team, key, user, model or day).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "governance/governance.hpp"

namespace switchyard::admin_api {

// The start_date and end_date parameters, where given, into `start` and `end` (unix ms); the
// 400 when one is malformed. A bare end date includes that whole day.
std::optional<AdminReply> readDates(std::string_view query, int64_t& start, int64_t& end);

// `keyId`: the id of the api_key the query names (empty: any key).
AdminReply spendLogs(Store& store, std::string_view query, std::string keyId);
AdminReply spendReport(Store& store, std::string_view query, int64_t now);

}  // namespace switchyard::admin_api
