#pragma once
// OpenRouter's request-level routing fields: `models` (fallback model list), `provider`
// ({order, only, ignore, allow_fallbacks, sort, max_price}) and `transforms` (["middle-out"]). They
// are taken out of the body, so the upstream never sees them; wrongly typed values are a 400 naming
// the field.

#include <array>
#include <boost/json/object.hpp>
#include <string_view>

#include "api/request.hpp"
#include "core/error.hpp"
#include "routing/route_preferences.hpp"

namespace switchyard {

// The members taken out. A client's own text that is forwarded (ClientText) has them cut.
inline constexpr std::array<std::string_view, 3> kRoutePreferenceMembers = {"models", "provider",
                                                                            "transforms"};

Result<RoutePreferences> takeRoutePreferences(boost::json::object& body);
// The same for a request, whose body is edited only when it holds one of the fields.
Result<RoutePreferences> takeRoutePreferences(ApiRequest& request);

}  // namespace switchyard
