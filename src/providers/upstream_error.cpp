#include "providers/upstream_error.hpp"

#include <charconv>
#include <string>

namespace switchyard {

void finishUpstreamError(Error& e, int status, std::string_view message,
                         std::string_view retryAfter) {
  e.message = "Upstream returned HTTP " + std::to_string(status) + ": " + std::string(message);
  int seconds = 0;
  auto [p, rc] = std::from_chars(retryAfter.data(), retryAfter.data() + retryAfter.size(), seconds);
  if (!retryAfter.empty() && rc == std::errc{} && seconds > 0) e.retryAfterSeconds = seconds;
}

}  // namespace switchyard
