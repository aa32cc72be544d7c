#include "core/litellm_duration.hpp"

#include <charconv>

namespace switchyard {

std::optional<int64_t> parseBudgetDuration(std::string_view s) {
  int64_t n = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (ec != std::errc() || n <= 0 || n > 100000) return std::nullopt;
  const std::string_view unit(end, s.data() + s.size() - end);
  int64_t ms = 0;
  if (unit == "s") ms = 1000;
  if (unit == "m") ms = 60'000;
  if (unit == "h") ms = 3'600'000;
  if (unit == "d") ms = 86'400'000;
  if (unit == "mo") ms = 30 * int64_t{86'400'000};
  if (ms == 0) return std::nullopt;
  return n * ms;
}

}  // namespace switchyard
