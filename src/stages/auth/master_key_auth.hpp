#pragma once
// Admits requests that present the configured master key. Virtual keys come later as another
// stage in front of this one.

#include <optional>

#include "stages/stage.hpp"

namespace switchyard {

class MasterKeyAuth : public Stage {
 public:
  std::string_view name() const override { return "auth"; }
  Outcome pre(RequestContext& ctx) override;
};

// The error for a presented key that is not the master key; nullopt when admitted (or when no
// master key is configured).
std::optional<Error> checkMasterKey(const Snapshot& snapshot, std::string_view presented);

// Compares without an early exit, so response time does not reveal how much of a key matched.
bool constantTimeEquals(std::string_view a, std::string_view b);

}  // namespace switchyard
