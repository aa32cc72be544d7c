#include "stages/cache/response_cache.hpp"

#include "config/snapshot.hpp"

namespace switchyard {

ResponseCache::ResponseCache(size_t maxBytes, size_t shards)
    : maxBytes_(maxBytes),
      shardBytes_(maxBytes / std::max<size_t>(shards, 1)),
      shards_(std::max<size_t>(shards, 1)) {}

void ResponseCache::erase(Shard& shard, std::list<Entry>::iterator it) {
  shard.bytes -= it->bytes;
  shard.index.erase(it->key);
  shard.lru.erase(it);
}

std::shared_ptr<const CachedAnswer> ResponseCache::find(const CacheKey& key,
                                                        std::string_view nameSpace,
                                                        Clock::time_point now,
                                                        std::optional<Clock::duration> maxAge) {
  Shard& shard = shardOf(key);
  std::lock_guard lock(shard.mutex);
  auto found = shard.index.find(key);
  if (found == shard.index.end()) return nullptr;
  auto it = found->second;
  const CachedAnswer& entry = *it->value;
  if (now >= entry.expiresAt) {
    erase(shard, it);
    counters_.expirations.fetch_add(1, std::memory_order_relaxed);
    return nullptr;
  }
  if (entry.nameSpace != nameSpace) return nullptr;
  if (maxAge && now - entry.storedAt > *maxAge) return nullptr;
  shard.lru.splice(shard.lru.begin(), shard.lru, it);
  return it->value;
}

void ResponseCache::insert(const CacheKey& key, std::shared_ptr<const CachedAnswer> entry) {
  const size_t bytes = entry->bytes() + sizeof(Entry) + 4 * sizeof(void*);  // list + map nodes
  if (bytes > shardBytes_) {
    counters_.tooLarge.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  Shard& shard = shardOf(key);
  // The old answer is released outside the lock.
  std::shared_ptr<const CachedAnswer> replaced;
  std::vector<std::shared_ptr<const CachedAnswer>> evicted;
  {
    std::lock_guard lock(shard.mutex);
    if (auto found = shard.index.find(key); found != shard.index.end()) {
      replaced = std::move(found->second->value);
      erase(shard, found->second);
    }
    while (!shard.lru.empty() && shard.bytes + bytes > shardBytes_) {
      auto last = std::prev(shard.lru.end());
      evicted.push_back(std::move(last->value));
      erase(shard, last);
    }
    shard.lru.push_front(Entry{key, std::move(entry), bytes});
    shard.index.emplace(key, shard.lru.begin());
    shard.bytes += bytes;
  }
  counters_.stores.fetch_add(1, std::memory_order_relaxed);
  counters_.evictions.fetch_add(evicted.size(), std::memory_order_relaxed);
}

size_t ResponseCache::flush(std::string_view nameSpace) {
  size_t n = 0;
  auto under = [&](const std::string& ns) {
    if (nameSpace.empty() || ns == nameSpace) return true;
    return ns.size() > nameSpace.size() && ns.starts_with(nameSpace) && ns[nameSpace.size()] == '/';
  };
  for (Shard& shard : shards_) {
    std::vector<std::shared_ptr<const CachedAnswer>> dropped;
    std::lock_guard lock(shard.mutex);
    for (auto it = shard.lru.begin(); it != shard.lru.end();) {
      auto next = std::next(it);
      if (under(it->value->nameSpace)) {
        dropped.push_back(std::move(it->value));
        erase(shard, it);
        ++n;
      }
      it = next;
    }
  }
  return n;
}

size_t ResponseCache::bytes() const {
  size_t n = 0;
  for (const Shard& shard : shards_) {
    std::lock_guard lock(shard.mutex);
    n += shard.bytes;
  }
  return n;
}

size_t ResponseCache::entries() const {
  size_t n = 0;
  for (const Shard& shard : shards_) {
    std::lock_guard lock(shard.mutex);
    n += shard.lru.size();
  }
  return n;
}

namespace {
// Enough that workers rarely wait on one another's look-ups, whatever their number.
constexpr size_t kShards = 32;
}  // namespace

void shareResponseCache(Snapshot& next, const Snapshot* previous) {
  if (!next.cache.enabled) return;
  if (previous && previous->responseCache &&
      previous->responseCache->maxBytes() == next.cache.maxBytes) {
    next.responseCache = previous->responseCache;
    return;
  }
  next.responseCache = std::make_shared<ResponseCache>(next.cache.maxBytes, kShards);
}

}  // namespace switchyard
