#pragma once
// Reading admin API requests: JSON bodies whose every field is known and well typed (LiteLLM's
// field names), query parameters and dates; and applying a body's limits to a principal.

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "governance/registry.hpp"

namespace switchyard::admin_api {

enum class Type { kString, kNumber, kCount, kBool, kStringList, kObject, kDuration, kTimestamp };

struct Field {
  std::string_view name;
  Type type;
};

// The fields of each route's body; every principal also takes the limit fields (applyLimits).
inline constexpr Field kKeyFields[] = {{"key_alias", Type::kString},  {"duration", Type::kDuration},
                                       {"expires", Type::kTimestamp}, {"team_id", Type::kString},
                                       {"user_id", Type::kString},    {"key", Type::kString}};
inline constexpr Field kTeamFields[] = {{"team_id", Type::kString}, {"team_alias", Type::kString}};
inline constexpr Field kUserFields[] = {
    {"user_id", Type::kString},    {"user_email", Type::kString}, {"team_id", Type::kString},
    {"user_alias", Type::kString}, {"key_alias", Type::kString},  {"duration", Type::kDuration}};
inline constexpr Field kDeleteFields[] = {{"keys", Type::kStringList},
                                          {"key_aliases", Type::kStringList}};

// The body as an object whose every field is known and well typed; null means "not set".
Result<boost::json::object> parseBody(std::string_view body, std::span<const Field> own,
                                      bool withLimits);
// What a value of the type must be, for error messages ("a string").
std::string typeName(Type t);

// A field that is present and not null.
const boost::json::value* field(const boost::json::object& o, std::string_view name);
// A string field's value; empty when absent or null.
std::string string(const boost::json::object& o, std::string_view name);

// "2026-11-25", "2026-11-25T10:00:00" or with a trailing Z: unix ms (UTC); nullopt if malformed.
std::optional<int64_t> parseDate(std::string_view s);
// A query parameter, percent-decoded; nullopt when absent.
std::optional<std::string> queryParam(std::string_view query, std::string_view name);

// Applies the limit fields present in the body; absent fields keep their value, null clears.
void applyLimits(Principal& p, const boost::json::object& body, int64_t now);
Result<void> checkBudgets(const Principal& p);

}  // namespace switchyard::admin_api
