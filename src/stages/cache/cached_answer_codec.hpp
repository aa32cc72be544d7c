#pragma once
// A kept answer as bytes, for a store outside the process (the Redis level): the recorded
// events and what accounting needs, written compactly (varints, length-prefixed strings), times
// as unix milliseconds so that another process can read them. Decoding trusts nothing: what
// another process (or anyone with access to Redis) wrote is checked field by field, and an
// entry that does not decode is a miss.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "stages/cache/response_cache.hpp"

namespace switchyard {

// One instant on both clocks: entries keep steady-clock times, other processes read wall-clock
// ones.
struct ClockPair {
  std::chrono::steady_clock::time_point steady;
  int64_t unixMs = 0;
  static ClockPair now();
};

std::string encodeCachedAnswer(const CachedAnswer& entry, const ClockPair& now);
// The entry, with its times on this process's steady clock; nullptr when `bytes` is not one.
std::shared_ptr<CachedAnswer> decodeCachedAnswer(std::string_view bytes, const ClockPair& now);

}  // namespace switchyard
