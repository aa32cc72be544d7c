#pragma once
// Writing admin API answers: errors in OpenAI's format, principals and times as LiteLLM shows
// them.

#include <boost/json/object.hpp>
#include <cstdint>
#include <string>

#include "governance/governance.hpp"

namespace switchyard::admin_api {

AdminReply fail(int status, std::string message, std::string param = {},
                std::string code = "invalid_request");
AdminReply ok(const boost::json::value& v);
// The 500 for a store that failed.
AdminReply storeError(const Error& e);

// ISO 8601 UTC ("2026-11-25T10:00:00Z"); empty for 0 (unset).
std::string iso(int64_t ms);
// A key, team or user as LiteLLM's /key/info, /team/info and /user/info show it.
boost::json::object principalJson(const Principal& p);

}  // namespace switchyard::admin_api
