#include "server/request_id.hpp"

#include <algorithm>
#include <cctype>

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
  const uint64_t words[2] = {rng(), rng()};
  std::string id(32, '0');
  putHex(id.data(), reinterpret_cast<const uint8_t*>(words), sizeof words);
  return id;
}

}  // namespace switchyard
