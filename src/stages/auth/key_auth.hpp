#pragma once
// Admits the master key and, when governance is on, the virtual keys the gateway generated:
// fills RequestContext.keyId with the key's hash. Limits and budgets are the next stage's.

#include <optional>

#include "stages/stage.hpp"

namespace switchyard {

class KeyAuth : public Stage {
 public:
  std::string_view name() const override { return "auth"; }
  Outcome pre(RequestContext& ctx) override;
  bool actsOn(const Snapshot& s) const override;
};

// The error for a presented key that is neither the master key nor a known virtual key; nullopt
// when admitted. `keyId` receives the virtual key's id when it is one.
std::optional<Error> checkGatewayKey(const Snapshot& snapshot, std::string_view presented,
                                     std::string* keyId = nullptr);

}  // namespace switchyard
