#include "server/request_id.hpp"

#include <algorithm>
#include <cctype>
#include <ctime>

#include "telemetry/text_buffer.hpp"

namespace switchyard {

namespace {
bool isSafeId(std::string_view id) {
  // Bounded and free of characters that could split a header or a log line.
  return !id.empty() && id.size() <= 128 && std::all_of(id.begin(), id.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' ||
           c == ':';
  });
}
}  // namespace

std::string requestIdFor(std::string_view given, FastRandom& rng) {
  if (isSafeId(given)) return std::string(given);
  // 12 hex digits of wall-clock milliseconds, then 80 random bits: ids grow with time (as
  // UUIDv7 does), so the spend logs' request_id index takes each new row at its end instead of
  // at a random page. Random ids cost the spend writer 4.5 us per row there
  // (bench/spend_store_bench); the coarse clock read costs a few ns.
  timespec ts;
  clock_gettime(CLOCK_REALTIME_COARSE, &ts);
  const uint64_t ms = static_cast<uint64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1'000'000;
  uint8_t bytes[16];
  for (int i = 0; i < 6; ++i) bytes[i] = static_cast<uint8_t>(ms >> (8 * (5 - i)));
  const uint64_t words[2] = {rng(), rng()};
  const auto* random = reinterpret_cast<const uint8_t*>(words);
  std::copy(random, random + 10, bytes + 6);
  std::string id(32, '0');
  putHex(id.data(), bytes, sizeof bytes);
  return id;
}

}  // namespace switchyard
