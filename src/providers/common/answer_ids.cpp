#include "providers/common/answer_ids.hpp"

#include <ctime>
#include <random>

namespace switchyard::common {

std::string newCompletionId() {
  static constexpr char kAlphabet[] =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  thread_local std::mt19937_64 rng{std::random_device{}()};
  std::string id = "chatcmpl-";
  for (int i = 0; i < 24; ++i) id.push_back(kAlphabet[rng() % 62]);
  return id;
}

int64_t unixNow() { return static_cast<int64_t>(std::time(nullptr)); }
}  // namespace switchyard::common
