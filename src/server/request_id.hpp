#pragma once
// x-request-id: the client's when it is a sane token, otherwise a fresh one: 32 hex digits, the
// time in milliseconds then 80 random bits, so fresh ids sort by time.

#include <string>
#include <string_view>

#include "core/random.hpp"

namespace switchyard {

std::string requestIdFor(std::string_view given, FastRandom& rng);

}  // namespace switchyard
