#pragma once
// One request's dealings with the cache: what the stage's pre step found, what its answer filter
// recorded and its post step keeps. Reached through RequestContext::cache.

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "stages/cache/redis_cache.hpp"
#include "stages/cache/response_cache.hpp"

namespace switchyard {

struct CacheLookup {
  std::shared_ptr<ResponseCache> cache;  // the one this request's snapshot uses
  std::shared_ptr<RedisCache> redis;     // its Redis level, if it has one
  CacheKey key;
  std::string nameSpace;
  std::chrono::milliseconds ttl{0};
  std::optional<ResponseCache::Clock::duration> maxAge;  // s-maxage
  bool lookUp = false;                                   // not no-cache
  bool store = false;                                    // a miss whose answer may be kept
  std::shared_ptr<const CachedAnswer> hit;               // the answer served
  std::unique_ptr<RecordedAnswer> recorded;  // a complete answer fit to keep (the winner's)
};

}  // namespace switchyard
