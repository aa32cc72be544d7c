#include "stages/auth/route_auth.hpp"

#include "stages/auth/key_auth.hpp"
#include "stages/auth/master_key_auth.hpp"

namespace switchyard {

std::optional<Error> authorizeRoute(RouteAuth auth, const Snapshot& snapshot,
                                    std::string_view presented) {
  switch (auth) {
    case RouteAuth::kPublic:
    case RouteAuth::kPipeline:
      return std::nullopt;
    case RouteAuth::kGatewayKey:
      return checkGatewayKey(snapshot, presented);
    case RouteAuth::kMasterKey:
      if (auto denied = checkGatewayKey(snapshot, presented)) return denied;
      // A key the gateway knows, but not the master key: it is who it says, and may not.
      if (!snapshot.masterKey.empty() && !constantTimeEquals(presented, snapshot.masterKey)) {
        return Error::make(ErrorClass::kForbidden,
                           "Only the master key may call this route; virtual keys cannot.", {},
                           "admin_only");
      }
      return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace switchyard
