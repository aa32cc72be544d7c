#include "stages/cache/redis_cache.hpp"

#include "config/snapshot.hpp"
#include "stages/cache/cached_answer_codec.hpp"

namespace switchyard {

namespace {

void appendHex(std::string& out, std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  for (const char c : bytes) {
    const auto b = static_cast<uint8_t>(c);
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 0xf]);
  }
}

void appendHex(std::string& out, uint64_t v) {
  char raw[8];
  for (int i = 0; i < 8; ++i) raw[i] = static_cast<char>(v >> (56 - 8 * i));
  appendHex(out, std::string_view(raw, 8));
}

// What SCAN is asked for per round trip: enough that a flush takes few, small enough that each
// answers well within the timeout.
constexpr std::string_view kScanCount = "1000";

}  // namespace

RedisCache::RedisCache(RedisEndpoint endpoint, size_t maxEntryBytes)
    : maxEntryBytes_(maxEntryBytes),
      queue_(RedisQueueOptions{std::move(endpoint), "response cache (redis)"}) {}

std::string RedisCache::redisKey(const CacheKey& key, std::string_view nameSpace) {
  std::string k(kKeyPrefix);
  appendHex(k, nameSpace);
  k.push_back(':');
  appendHex(k, key.hi);
  appendHex(k, key.lo);
  return k;
}

Task<std::shared_ptr<const CachedAnswer>> RedisCache::find(const CacheKey& key,
                                                           std::string nameSpace,
                                                           std::optional<Clock::duration> maxAge) {
  // Built outside the co_await: GCC mishandles braced lists inside one.
  std::vector<RedisCommand> get;
  get.push_back({"GET", redisKey(key, nameSpace)});
  auto replies = co_await queue_.run(std::move(get));
  if (!replies || replies->size() != 1 || replies->front().isError()) {
    counters_.errors.fetch_add(1, std::memory_order_relaxed);
    co_return nullptr;
  }
  const RedisReply& r = replies->front();
  auto miss = [&] {
    counters_.misses.fetch_add(1, std::memory_order_relaxed);
    return nullptr;
  };
  if (r.type == RedisReply::Type::kNil) co_return miss();
  const ClockPair now = ClockPair::now();
  std::shared_ptr<CachedAnswer> entry;
  if (r.type == RedisReply::Type::kString && r.str.size() <= maxEntryBytes_) {
    entry = decodeCachedAnswer(r.str, now);
  }
  // Not an entry of this namespace, whatever its key says: never served.
  if (!entry || entry->nameSpace != nameSpace) {
    counters_.rejected.fetch_add(1, std::memory_order_relaxed);
    co_return miss();
  }
  if (now.steady >= entry->expiresAt) co_return miss();
  if (maxAge && now.steady - entry->storedAt > *maxAge) co_return miss();
  counters_.hits.fetch_add(1, std::memory_order_relaxed);
  co_return entry;
}

void RedisCache::store(const CacheKey& key, const CachedAnswer& entry) {
  const ClockPair now = ClockPair::now();
  const auto left =
      std::chrono::duration_cast<std::chrono::milliseconds>(entry.expiresAt - now.steady).count();
  if (left <= 0) return;
  std::string bytes = encodeCachedAnswer(entry, now);
  if (bytes.size() > maxEntryBytes_) {
    counters_.tooLarge.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  const bool sent = queue_.send(
      {{"SET", redisKey(key, entry.nameSpace), std::move(bytes), "PX", std::to_string(left)}});
  (sent ? counters_.stores : counters_.dropped).fetch_add(1, std::memory_order_relaxed);
}

Task<Result<size_t>> RedisCache::flush(std::string nameSpace) {
  // The namespace's own keys end it with ':', its sub-namespaces' continue with '/' (2f): the
  // pattern finds both, and the check drops namespaces that only start with the same text.
  std::string stem(kKeyPrefix);
  appendHex(stem, nameSpace);
  const std::string pattern = stem + "*";
  auto ours = [&](const std::string& k) {
    if (nameSpace.empty()) return true;
    const std::string_view rest = std::string_view(k).substr(stem.size());
    return rest.starts_with(":") || rest.starts_with("2f");
  };
  size_t deleted = 0;
  std::string cursor = "0";
  std::vector<std::string> doomed;
  do {
    // Each round trip deletes what the previous one found and asks for the next page.
    std::vector<RedisCommand> commands;
    if (!doomed.empty()) {
      RedisCommand unlink{"UNLINK"};
      unlink.insert(unlink.end(), doomed.begin(), doomed.end());
      commands.push_back(std::move(unlink));
      doomed.clear();
    }
    commands.push_back({"SCAN", cursor, "MATCH", pattern, "COUNT", std::string(kScanCount)});
    auto replies = co_await queue_.run(std::move(commands));
    if (!replies) co_return replies.error();
    for (const RedisReply& r : *replies) {
      if (r.isError()) co_return Error::make(ErrorClass::kUnavailable, "redis: " + r.str);
    }
    if (replies->size() == 2) deleted += static_cast<size_t>(replies->front().integer);
    const RedisReply& page = replies->back();
    if (page.type != RedisReply::Type::kArray || page.elements.size() != 2) {
      co_return Error::make(ErrorClass::kUnavailable, "redis: unexpected answer to SCAN");
    }
    cursor = page.elements[0].str;
    for (const RedisReply& k : page.elements[1].elements) {
      if (ours(k.str)) doomed.push_back(k.str);
    }
  } while (cursor != "0");
  if (!doomed.empty()) {
    RedisCommand unlink{"UNLINK"};
    unlink.insert(unlink.end(), doomed.begin(), doomed.end());
    std::vector<RedisCommand> last;
    last.push_back(std::move(unlink));
    auto replies = co_await queue_.run(std::move(last));
    if (!replies) co_return replies.error();
    if (replies->front().isError()) {
      co_return Error::make(ErrorClass::kUnavailable, "redis: " + replies->front().str);
    }
    deleted += static_cast<size_t>(replies->front().integer);
  }
  co_return deleted;
}

void shareRedisCache(Snapshot& next, const Snapshot* previous) {
  const CacheSettings& s = next.cache;
  if (!s.enabled || !s.redis.configured()) return;
  if (previous && previous->redisCache && previous->redisCache->endpoint() == s.redis &&
      previous->redisCache->maxEntryBytes() == s.redisMaxEntryBytes) {
    next.redisCache = previous->redisCache;
    return;
  }
  next.redisCache = std::make_shared<RedisCache>(s.redis, s.redisMaxEntryBytes);
}

}  // namespace switchyard
