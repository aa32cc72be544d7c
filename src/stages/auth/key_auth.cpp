#include "stages/auth/key_auth.hpp"

#include "governance/governance.hpp"
#include "stages/auth/master_key_auth.hpp"

namespace switchyard {

std::optional<Error> checkGatewayKey(const Snapshot& snapshot, std::string_view presented,
                                     std::string* keyId) {
  Governance* g = snapshot.governanceService.get();
  if (!g || presented.empty() || presented.size() > 256 ||
      (!snapshot.masterKey.empty() && constantTimeEquals(presented, snapshot.masterKey))) {
    return checkMasterKey(snapshot, presented);
  }
  std::string id = g->hashKey(presented);
  if (!g->registry().knowsKey(id)) return checkMasterKey(snapshot, presented);
  if (keyId) *keyId = std::move(id);
  return std::nullopt;
}

// Without virtual keys or a master key every request is let through.
bool KeyAuth::actsOn(const Snapshot& s) const {
  return s.governanceService || !s.masterKey.empty();
}

Outcome KeyAuth::pre(RequestContext& ctx) {
  if (auto denied = checkGatewayKey(*ctx.snapshot, ctx.presentedKey, &ctx.keyId)) {
    return Outcome::fail(std::move(*denied));
  }
  return Outcome::next();
}

}  // namespace switchyard
