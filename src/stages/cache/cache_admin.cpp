#include "stages/cache/cache_admin.hpp"

#include <boost/json/serialize.hpp>

#include "governance/admin_api_body.hpp"
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
  json::object o{
      {"type", "local"},
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
  return json::serialize(o);
}

Result<std::string> flushCache(const Snapshot& snapshot, std::string_view query) {
  auto cache = cacheOf(snapshot);
  if (!cache) return cache.error();
  const std::string ns = admin_api::queryParam(query, "namespace").value_or(std::string());
  const size_t n = (*cache)->flush(ns);
  return json::serialize(
      json::object{{"status", "success"},
                   {"namespace", ns.empty() ? json::value(nullptr) : json::value(ns)},
                   {"deleted", n}});
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
  };
}

}  // namespace switchyard
