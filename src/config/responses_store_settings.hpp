#pragma once
// general_settings / switchyard_settings keys of the stored Responses API responses
// (store/responses_store.hpp, docs/responses.md).

#include <cstddef>
#include <cstdint>

namespace switchyard {

struct ResponsesStoreLimits {
  size_t maxBytes = size_t{64} * 1024 * 1024;  // responses_store_max_mb
  int64_t ttlMs = int64_t{30} * 86'400'000;    // responses_store_ttl ("30d")
  bool operator==(const ResponsesStoreLimits&) const = default;
};

}  // namespace switchyard
