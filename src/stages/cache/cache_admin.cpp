#include "stages/cache/cache_admin.hpp"

#include <boost/json/serialize.hpp>

#include "governance/admin_api_body.hpp"
#include "stages/cache/redis_cache.hpp"
#include "stages/cache/response_cache.hpp"
#include "telemetry/prometheus_writer.hpp"

namespace switchyard {

namespace json = boost::json;

namespace {

Result<ResponseCache*> cacheOf(const Snapshot& snapshot) {
  if (!snapshot.responseCache) {
    return Error::make(ErrorClass::kNotFound,
                       "The response cache is off (litellm_settings.cache: true turns it on).", {},
                       "cache_disabled");
  }
  return snapshot.responseCache.get();
}

uint64_t load(const std::atomic<uint64_t>& n) { return n.load(std::memory_order_relaxed); }

}  // namespace

Result<std::string> cacheStats(const Snapshot& snapshot) {
  auto cache = cacheOf(snapshot);
  if (!cache) return cache.error();
  const CacheCounters& c = (*cache)->counters();
  const uint64_t hits = load(c.hits);
  const uint64_t misses = load(c.misses);
  const RedisCache* redis = snapshot.redisCache.get();
  json::object o{
      {"type", redis ? "redis" : "local"},
      {"entries", (*cache)->entries()},
      {"bytes", (*cache)->bytes()},
      {"max_bytes", (*cache)->maxBytes()},
      {"hits", hits},
      {"misses", misses},
      {"bypasses", load(c.bypasses)},
      {"hit_rate", hits + misses ? static_cast<double>(hits) / (hits + misses) : 0.0},
      {"stores", load(c.stores)},
      {"evictions", load(c.evictions)},
      {"expirations", load(c.expirations)},
      {"too_large", load(c.tooLarge)},
      {"saved_usd", c.savedUsd.load(std::memory_order_relaxed)},
  };
  if (redis) {
    // The counts of the Redis level as this instance saw them; "hits" above counts both levels.
    const RedisCacheCounters& r = redis->counters();
    const auto q = redis->queueStats();
    o["redis"] = json::object{
        {"up", redis->up()},
        {"hits", load(r.hits)},
        {"misses", load(r.misses)},
        {"errors", load(r.errors)},
        {"rejected", load(r.rejected)},
        {"stores", load(r.stores)},
        {"dropped", load(r.dropped)},
        {"too_large", load(r.tooLarge)},
        {"max_entry_bytes", redis->maxEntryBytes()},
        {"round_trips", q.roundTrips},
        {"failures", q.failures},
        {"timeouts", q.timeouts},
    };
  }
  return json::serialize(o);
}

Task<Result<std::string>> flushCache(const Snapshot& snapshot, std::string_view query) {
  auto cache = cacheOf(snapshot);
  if (!cache) co_return cache.error();
  const std::string ns = admin_api::queryParam(query, "namespace").value_or(std::string());
  // The snapshot is the caller's, held across the wait; the Redis level is held here.
  const std::shared_ptr<RedisCache> redis = snapshot.redisCache;
  const size_t inMemory = (*cache)->flush(ns);
  json::object o{{"status", "success"},
                 {"namespace", ns.empty() ? json::value(nullptr) : json::value(ns)},
                 {"deleted", inMemory}};
  if (redis) {
    auto inRedis = co_await redis->flush(ns);
    if (!inRedis) {
      co_return Error::make(ErrorClass::kUnavailable,
                            "Flushed " + std::to_string(inMemory) +
                                " entries in memory, but not the Redis level: " +
                                inRedis.error().message + ". Repeat the request.",
                            {}, "cache_redis_unavailable");
    }
    o["deleted"] = inMemory + *inRedis;
    o["deleted_memory"] = inMemory;
    o["deleted_redis"] = *inRedis;
  }
  co_return json::serialize(o);
}

MetricsCollector cacheMetricsCollector(const SnapshotSource& source) {
  return [&source](PrometheusWriter& w) {
    const auto snapshot = source.get();
    const ResponseCache* cache = snapshot ? snapshot->responseCache.get() : nullptr;
    if (!cache) return;
    using Type = PrometheusWriter::Type;
    const CacheCounters& c = cache->counters();
    auto counter = [&](std::string_view name, std::string_view help, uint64_t value) {
      w.family(name, Type::kCounter, help);
      w.sample(name, {}, value);
    };
    w.family("switchyard_cache_requests_total", Type::kCounter,
             "Requests the response cache saw, by result: hit, miss, or bypass (not cacheable, "
             "or the request said no-cache and no-store).");
    w.sample("switchyard_cache_requests_total", {{"result", "hit"}}, load(c.hits));
    w.sample("switchyard_cache_requests_total", {{"result", "miss"}}, load(c.misses));
    w.sample("switchyard_cache_requests_total", {{"result", "bypass"}}, load(c.bypasses));
    w.family("switchyard_cache_saved_usd_total", Type::kCounter,
             "What the answers served from the cache cost when they were fetched upstream.");
    w.sample("switchyard_cache_saved_usd_total", {}, c.savedUsd.load(std::memory_order_relaxed));
    counter("switchyard_cache_stores_total", "Answers kept by the response cache.", load(c.stores));
    counter("switchyard_cache_evictions_total",
            "Entries pushed out of the response cache by its byte bound.", load(c.evictions));
    counter("switchyard_cache_expirations_total", "Entries found past their TTL and dropped.",
            load(c.expirations));
    w.family("switchyard_cache_bytes", Type::kGauge, "Bytes held by the response cache.");
    w.sample("switchyard_cache_bytes", {}, uint64_t(cache->bytes()));
    w.family("switchyard_cache_entries", Type::kGauge, "Entries in the response cache.");
    w.sample("switchyard_cache_entries", {}, uint64_t(cache->entries()));
    const RedisCache* redis = snapshot->redisCache.get();
    if (!redis) return;
    const RedisCacheCounters& r = redis->counters();
    w.family("switchyard_cache_redis_up", Type::kGauge,
             "1 while the response cache's Redis level answers, 0 while its look-ups are misses.");
    w.sample("switchyard_cache_redis_up", {}, int64_t{redis->up() ? 1 : 0});
    w.family("switchyard_cache_redis_lookups_total", Type::kCounter,
             "Look-ups in the response cache's Redis level (after a miss in memory), by result: "
             "hit, miss, or error (Redis down, slow or busy: served as a miss).");
    w.sample("switchyard_cache_redis_lookups_total", {{"result", "hit"}}, load(r.hits));
    w.sample("switchyard_cache_redis_lookups_total", {{"result", "miss"}}, load(r.misses));
    w.sample("switchyard_cache_redis_lookups_total", {{"result", "error"}}, load(r.errors));
    counter("switchyard_cache_redis_rejected_total",
            "Entries found in Redis that did not decode or belonged to another namespace.",
            load(r.rejected));
    counter("switchyard_cache_redis_stores_total", "Answers sent to the Redis level.",
            load(r.stores));
    w.family("switchyard_cache_redis_skipped_total", Type::kCounter,
             "Answers not sent to the Redis level, by reason: too_large (redis_max_entry_kb) or "
             "dropped (Redis down, the queue full).");
    w.sample("switchyard_cache_redis_skipped_total", {{"reason", "too_large"}}, load(r.tooLarge));
    w.sample("switchyard_cache_redis_skipped_total", {{"reason", "dropped"}}, load(r.dropped));
    counter("switchyard_cache_redis_failures_total",
            "Round trips to the Redis level that failed or timed out.",
            redis->queueStats().failures);
  };
}

}  // namespace switchyard
