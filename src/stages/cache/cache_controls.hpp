#pragma once
// What one request asks of the cache: LiteLLM's per-request `cache` body member
// ({no-cache, no-store, ttl, s-maxage, namespace, use-cache}) and the Cache-Control header
// (no-cache, no-store, max-age / s-maxage).

#include <boost/json/object.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace switchyard {

struct CacheControls {
  bool noCache = false;   // do not answer from the cache (the answer may still be kept)
  bool noStore = false;   // do not keep this answer
  bool useCache = false;  // mode default_off: this request opts in
  std::optional<std::chrono::milliseconds> ttl;     // how long to keep this answer
  std::optional<std::chrono::milliseconds> maxAge;  // accept only entries at most this old
  std::string nameSpace;                            // a namespace inside the caller's own
};

// The controls of a request, or the 400 a malformed one deserves.
Result<CacheControls> readCacheControls(const boost::json::object& body,
                                        std::string_view cacheControlHeader);

}  // namespace switchyard
