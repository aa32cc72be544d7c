#pragma once
// The master key check: key_auth falls back to it (and so route_auth's rules).

#include <optional>
#include <string_view>

#include "config/snapshot.hpp"
#include "core/error.hpp"

namespace switchyard {

// The error for a presented key that is not the master key; nullopt when admitted (or when no
// master key is configured).
std::optional<Error> checkMasterKey(const Snapshot& snapshot, std::string_view presented);

// Compares without an early exit, so response time does not reveal how much of a key matched.
bool constantTimeEquals(std::string_view a, std::string_view b);

}  // namespace switchyard
