#pragma once
// The answers the cache stage keeps, in process: shards chosen by key hash (a client's repeated
// request may land on any worker, so every worker must find every entry; a shard's lock is held
// only for a map look-up), each an LRU list bounded in bytes, every entry with its own expiry.
// Shared by all workers and handed on by a reload that keeps the cache on.

#include <atomic>
#include <chrono>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "api/events/recorded_answer.hpp"
#include "api/request.hpp"
#include "stages/cache/cache_key.hpp"

namespace switchyard {

// One kept answer and what accounting needs to know of the request that paid for it.
struct CachedAnswer {
  using Clock = std::chrono::steady_clock;
  std::string nameSpace;  // checked on every hit: no key, however equal, crosses namespaces
  RecordedAnswer answer;
  Usage usage;
  double costUsd = 0.0;  // what the answer cost when it was fetched: what a hit saves
  bool costKnown = false;
  std::string model;  // who answered: the spend log of a hit names them
  std::string deployment;
  std::string provider;
  Clock::time_point storedAt{};
  Clock::time_point expiresAt{};

  size_t bytes() const {
    return sizeof(*this) + answer.bytes() + nameSpace.size() + model.size() + deployment.size() +
           provider.size();
  }
};

// Counters of the cache, for /metrics and GET /cache/stats. Written by every worker.
struct CacheCounters {
  std::atomic<uint64_t> hits{0};
  std::atomic<uint64_t> misses{0};
  std::atomic<uint64_t> bypasses{
      0};  // requests that did not use the cache (no-cache, not cacheable)
  std::atomic<uint64_t> stores{0};
  std::atomic<uint64_t> evictions{0};    // pushed out by the byte bound
  std::atomic<uint64_t> expirations{0};  // found past their TTL
  std::atomic<uint64_t> tooLarge{0};     // answers larger than a shard: never stored
  std::atomic<double> savedUsd{0.0};     // what the hits would have cost upstream
};

class ResponseCache {
 public:
  using Clock = std::chrono::steady_clock;

  // `maxBytes` in all, split evenly over `shards`.
  ResponseCache(size_t maxBytes, size_t shards);

  // The live entry of `key` in `nameSpace`, if one is younger than `maxAge` (s-maxage); an
  // expired one is dropped here. Marks it most recently used.
  std::shared_ptr<const CachedAnswer> find(const CacheKey& key, std::string_view nameSpace,
                                           Clock::time_point now,
                                           std::optional<Clock::duration> maxAge = std::nullopt);
  // Keeps `entry` under `key` (replacing an older one), evicting the least recently used
  // entries of its shard while the shard holds more than its share of bytes.
  void insert(const CacheKey& key, std::shared_ptr<const CachedAnswer> entry);
  // Drops every entry of `nameSpace` and of the namespaces under it ("<ns>/..."); every entry
  // when it is empty. Returns how many.
  size_t flush(std::string_view nameSpace);

  size_t maxBytes() const { return maxBytes_; }
  size_t bytes() const;
  size_t entries() const;
  CacheCounters& counters() { return counters_; }
  const CacheCounters& counters() const { return counters_; }

 private:
  struct Entry {
    CacheKey key;
    std::shared_ptr<const CachedAnswer> value;
    size_t bytes;
  };
  struct Shard {
    mutable std::mutex mutex;
    std::list<Entry> lru;  // most recently used first
    std::unordered_map<CacheKey, std::list<Entry>::iterator, CacheKeyHash> index;
    size_t bytes = 0;
  };
  Shard& shardOf(const CacheKey& key) { return shards_[key.hi % shards_.size()]; }
  void erase(Shard& shard, std::list<Entry>::iterator it);

  const size_t maxBytes_;
  const size_t shardBytes_;
  std::vector<Shard> shards_;
  CacheCounters counters_;
};

struct Snapshot;

// Gives `next` the running cache when both have it on with the same size (a reload keeps the
// answers), a new one when only `next` has it on, none when it is off.
void shareResponseCache(Snapshot& next, const Snapshot* previous);

}  // namespace switchyard
