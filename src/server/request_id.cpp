#include "server/request_id.hpp"

#include <algorithm>
#include <cctype>

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

std::string requestIdFor(std::string_view given, std::mt19937_64& rng) {
  if (isSafeId(given)) return std::string(given);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id(32, '0');
  uint64_t a = rng(), b = rng();
  for (int i = 0; i < 16; ++i) {
    id[i] = kHex[(a >> (i * 4)) & 0xf];
    id[16 + i] = kHex[(b >> (i * 4)) & 0xf];
  }
  return id;
}

}  // namespace switchyard
