#pragma once
// general_settings / switchyard_settings keys of the stored Responses API responses
// (store/responses_store.hpp, docs/responses.md).

#include <cstddef>
#include <cstdint>

namespace switchyard {

// Who may read, continue and delete a stored response besides the key that created it
// (responses_store_scope; general_settings.disable_responses_id_security is LiteLLM's `global`).
enum class ResponsesScope {
  kKey,     // that key only (the default)
  kTeam,    // also the other keys of its team, when it has one
  kGlobal,  // every key the gateway admits
};

struct ResponsesStoreLimits {
  size_t maxBytes = size_t{64} * 1024 * 1024;   // responses_store_max_mb
  int64_t ttlMs = int64_t{30} * 86'400'000;     // responses_store_ttl ("30d")
  ResponsesScope scope = ResponsesScope::kKey;  // responses_store_scope
  bool operator==(const ResponsesStoreLimits&) const = default;
};

}  // namespace switchyard
