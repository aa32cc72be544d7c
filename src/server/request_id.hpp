#pragma once
// x-request-id: the client's when it is a sane token, otherwise a fresh random one.

#include <random>
#include <string>
#include <string_view>

namespace switchyard {

std::string requestIdFor(std::string_view given, std::mt19937_64& rng);

}  // namespace switchyard
