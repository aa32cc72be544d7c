#pragma once
// The response cache's second level: answers in one Redis shared by every gateway instance, so
// that an answer one instance fetched is a hit on all of them. A look-up goes through the
// RedisQueue (never blocking a worker; bounded by the endpoint's timeout) and any failure of
// Redis is a miss. Entries are kept under
//   switchyard:cache:<hex of the namespace>:<hex of the key>
// with the entry's TTL as PX; each carries its namespace and is checked on read exactly like
// the in-process level's, so that no collision crosses tenants. The namespace in the key (hex,
// so that no namespace's text can read as a pattern or as another's prefix) is what lets
// DELETE /cache find a namespace's entries with SCAN.

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "stages/cache/response_cache.hpp"
#include "store/redis/redis_queue.hpp"

namespace switchyard {

struct RedisCacheCounters {
  std::atomic<uint64_t> hits{0};
  std::atomic<uint64_t> misses{0};
  std::atomic<uint64_t> errors{0};    // look-ups Redis did not answer (down, slow, busy)
  std::atomic<uint64_t> rejected{0};  // entries found that did not decode or were not ours
  std::atomic<uint64_t> stores{0};
  std::atomic<uint64_t> dropped{0};   // stores not sent: Redis down, the queue full
  std::atomic<uint64_t> tooLarge{0};  // answers bigger than redis_max_entry_kb: never sent
};

class RedisCache {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr std::string_view kKeyPrefix = "switchyard:cache:";

  RedisCache(RedisEndpoint endpoint, size_t maxEntryBytes);

  // The live entry of `key` in `nameSpace` any instance kept, if younger than `maxAge`;
  // nullptr on a miss and on any failure of Redis. Resumes on the caller's executor.
  Task<std::shared_ptr<const CachedAnswer>> find(
      const CacheKey& key, std::string nameSpace,
      std::optional<Clock::duration> maxAge = std::nullopt);
  // Sends `entry` to Redis (not waiting for it), unless it is larger than the bound.
  void store(const CacheKey& key, const CachedAnswer& entry);
  // Deletes the entries of `nameSpace` and of the namespaces under it (every entry of the
  // gateway when empty); how many, or the error when Redis did not answer.
  Task<Result<size_t>> flush(std::string nameSpace);

  // Where an entry lives.
  static std::string redisKey(const CacheKey& key, std::string_view nameSpace);

  const RedisEndpoint& endpoint() const { return queue_.options().endpoint; }
  size_t maxEntryBytes() const { return maxEntryBytes_; }
  bool up() const { return queue_.up(); }
  RedisCacheCounters& counters() { return counters_; }
  const RedisCacheCounters& counters() const { return counters_; }
  RedisQueue::Stats queueStats() const { return queue_.stats(); }

 private:
  const size_t maxEntryBytes_;
  RedisCacheCounters counters_;
  RedisQueue queue_;
};

// Gives `next` the running Redis level when both name the same Redis and bound, a new one when
// only `next` has one, none otherwise.
void shareRedisCache(Snapshot& next, const Snapshot* previous);

}  // namespace switchyard
