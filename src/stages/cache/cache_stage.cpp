#include "stages/cache/cache_stage.hpp"

#include "stages/accounting/request_cost.hpp"
#include "stages/cache/cache_controls.hpp"
#include "stages/cache/cache_lookup.hpp"

namespace switchyard {

namespace {

constexpr std::string_view kCacheHeader = "x-switchyard-cache";
// Which level served a hit: memory (this instance's) or redis (shared by the instances).
constexpr std::string_view kCacheLevelHeader = "x-switchyard-cache-level";

// The endpoint's name in the key, or empty when the cache does not serve it.
std::string_view cachedEndpoint(const RequestContext& ctx, const CacheSettings& s) {
  const ApiRequest& r = ctx.request;
  if (r.endpoint != Endpoint::kChatCompletions) return {};
  if (r.format == InboundFormat::kAnthropic) return s.messages ? "messages" : "";
  return s.chat ? "chat" : "";
}

// Whose answers this request may be served: its key's own unless the config widens it; a
// request's own namespace is always inside that one.
std::string namespaceOf(const RequestContext& ctx, const CacheSettings& s,
                        const std::string& requested) {
  std::string ns = s.prefix.empty() ? std::string() : s.prefix + ":";
  if (s.scope == CacheSettings::Scope::kGlobal) {
    ns += "global";
  } else if (s.scope == CacheSettings::Scope::kTeam && !ctx.teamId.empty()) {
    ns += "team:" + ctx.teamId;
  } else if (!ctx.keyId.empty()) {
    ns += "key:" + ctx.keyId;
  } else {
    ns += "default";  // no virtual key: the master key, or a gateway without keys
  }
  if (!requested.empty()) ns += "/" + requested;
  return ns;
}

Outcome bypass(RequestContext& ctx, ResponseCache& cache) {
  cache.counters().bypasses.fetch_add(1, std::memory_order_relaxed);
  ctx.responseHeaders.push_back({kCacheHeader, "bypass"});
  return Outcome::next();
}

// A replayed answer's usage says that all of its prompt was served from a cache.
class CachedUsage final : public AnswerFilter {
 public:
  void onEvent(const StreamEvent& e) override {
    if (e.kind != StreamEvent::Kind::kUsage) {
      next().onEvent(e);
      return;
    }
    usage_ = *e.usage;
    usage_.cachedPromptTokens = usage_.promptTokens;
    StreamEvent marked = e;
    marked.usage = &usage_;
    next().onEvent(marked);
  }

 private:
  Usage usage_;
};

// Records a live answer on its way to the client; hands it to the request's lookup once it
// ended well: finish stop, length (or tool_calls where allowed) on every choice, no error.
class CacheFiller final : public AnswerFilter {
 public:
  CacheFiller(CacheLookup& lookup, bool toolCalls) : lookup_(lookup), toolCalls_(toolCalls) {}
  void onEvent(const StreamEvent& e) override {
    next().onEvent(e);
    if (!fit_) return;
    using Kind = StreamEvent::Kind;
    if (e.kind == Kind::kError) fit_ = false;
    if (e.kind == Kind::kToolCall && !toolCalls_) fit_ = false;
    if (e.kind == Kind::kFinish) {
      fit_ = e.text == "stop" || e.text == "length" || (e.text == "tool_calls" && toolCalls_);
    }
    if (!fit_) {
      recorded_.reset();
      return;
    }
    recorded_->onEvent(e);
    if (e.kind == Kind::kEnd && recorded_->complete() && !lookup_.recorded) {
      lookup_.recorded = std::move(recorded_);
      fit_ = false;
    }
  }

 private:
  CacheLookup& lookup_;
  const bool toolCalls_;
  bool fit_ = true;
  std::unique_ptr<RecordedAnswer> recorded_ = std::make_unique<RecordedAnswer>();
};

// The steps up to the look-up in memory: the request's key and controls, and the memory level's
// answer. Returns the outcome when these decide it (off, bypass, a refused control, a hit);
// otherwise ctx.cache holds the lookup that missed in memory.
std::optional<Outcome> lookUpInMemory(RequestContext& ctx);
// A miss at every level that was asked.
Outcome missed(RequestContext& ctx, const CacheLookup& lookup);
// Serves lookup->hit, found at `level` ("memory" or "redis").
Outcome served(RequestContext& ctx, CacheLookup& lookup, std::string_view level);

std::optional<Outcome> lookUpInMemory(RequestContext& ctx) {
  const CacheSettings& s = ctx.snapshot->cache;
  const std::shared_ptr<ResponseCache>& cache = ctx.snapshot->responseCache;
  if (!s.enabled || !cache) return Outcome::next();
  const std::string_view endpoint = cachedEndpoint(ctx, s);
  if (endpoint.empty()) return bypass(ctx, *cache);
  ApiRequest& request = ctx.request;
  auto controls = readCacheControls(request.body(), ctx.cacheControl);
  if (!controls) return Outcome::fail(controls.error());
  auto lookup = std::make_shared<CacheLookup>();
  lookup->cache = cache;
  lookup->redis = ctx.snapshot->redisCache;
  lookup->nameSpace = namespaceOf(ctx, s, controls->nameSpace);
  // The key leaves the cache member out; the upstream must not see it either.
  const std::string canonical = canonicalRequestText(request.body());
  std::string variant;
  if (request.format == InboundFormat::kAnthropic) {
    variant.append(request.anthropicVersion).append("\n").append(request.anthropicBeta);
  }
  lookup->key = cacheKeyOf({lookup->nameSpace, endpoint, request.model, variant, canonical});
  if (request.body().contains("cache")) request.editBody().erase("cache");

  const bool optedOut = s.optIn && !controls->useCache;
  if (optedOut || (controls->noCache && controls->noStore)) return bypass(ctx, *cache);
  lookup->ttl = controls->ttl.value_or(s.ttl);
  lookup->store = !controls->noStore && lookup->ttl.count() > 0;
  lookup->lookUp = !controls->noCache;
  if (controls->maxAge) lookup->maxAge = *controls->maxAge;
  if (lookup->lookUp) {
    lookup->hit =
        cache->find(lookup->key, lookup->nameSpace, ResponseCache::Clock::now(), lookup->maxAge);
  }
  ctx.cache = lookup;
  if (lookup->hit) return served(ctx, *lookup, "memory");
  return std::nullopt;
}

Outcome missed(RequestContext& ctx, const CacheLookup& lookup) {
  lookup.cache->counters().misses.fetch_add(1, std::memory_order_relaxed);
  ctx.responseHeaders.push_back({kCacheHeader, lookup.lookUp ? "miss" : "bypass"});
  return Outcome::next();
}

Outcome served(RequestContext& ctx, CacheLookup& lookup, std::string_view level) {
  const CacheSettings& s = ctx.snapshot->cache;
  const CachedAnswer& hit = *lookup.hit;
  lookup.store = false;
  lookup.cache->counters().hits.fetch_add(1, std::memory_order_relaxed);
  ctx.responseHeaders.push_back({kCacheHeader, "hit"});
  ctx.responseHeaders.push_back({kCacheLevelHeader, level});
  ctx.modelGroup = ctx.request.model;
  ctx.usage = hit.usage;
  ctx.costUsd = s.chargeHits ? hit.costUsd : 0.0;
  ctx.costKnown = !s.chargeHits || hit.costKnown;
  if (!s.chargeHits) {
    lookup.cache->counters().savedUsd.fetch_add(hit.costUsd, std::memory_order_relaxed);
  }
  return Outcome::replay(std::shared_ptr<const RecordedAnswer>(lookup.hit, &hit.answer));
}

}  // namespace

bool CacheStage::actsOn(const Snapshot& s) const { return s.cache.enabled && s.responseCache; }

Outcome CacheStage::pre(RequestContext& ctx) {
  if (auto decided = lookUpInMemory(ctx)) return std::move(*decided);
  return missed(ctx, *ctx.cache);
}

bool CacheStage::waitsFor(const Snapshot& s) const {
  return s.cache.enabled && s.responseCache && s.redisCache;
}

Task<Outcome> CacheStage::preAsync(RequestContext& ctx) {
  if (auto decided = lookUpInMemory(ctx)) co_return std::move(*decided);
  // Held here: the lookup outlives the wait whatever happens to ctx.cache meanwhile.
  const std::shared_ptr<CacheLookup> lookup = ctx.cache;
  if (lookup->redis && lookup->lookUp) {
    auto found = co_await lookup->redis->find(lookup->key, lookup->nameSpace, lookup->maxAge);
    if (found) {
      // The next repeat on this instance is served from memory.
      lookup->cache->insert(lookup->key, found);
      lookup->hit = std::move(found);
      co_return served(ctx, *lookup, "redis");
    }
  }
  co_return missed(ctx, *lookup);
}

bool CacheStage::watchesAnswerOf(const RequestContext& ctx) const {
  return ctx.cache && (ctx.cache->store || ctx.cache->hit);
}

std::unique_ptr<AnswerFilter> CacheStage::filterAnswer(RequestContext& ctx) {
  if (!ctx.cache) return nullptr;
  if (ctx.cache->hit) return std::make_unique<CachedUsage>();
  if (!ctx.cache->store) return nullptr;
  return std::make_unique<CacheFiller>(*ctx.cache, ctx.snapshot->cache.cacheToolCalls);
}

void CacheStage::post(RequestContext& ctx) {
  CacheLookup* lookup = ctx.cache.get();
  if (!lookup || !lookup->store || !lookup->recorded || !ctx.deployment) return;
  // Only an answer the client received whole is worth serving again.
  if (ctx.clientGone || ctx.status != 200 || !ctx.errorClass.empty()) return;
  if (!ctx.costKnown) computeCost(ctx);
  auto entry = std::make_shared<CachedAnswer>();
  entry->nameSpace = lookup->nameSpace;
  entry->answer = std::move(*lookup->recorded);
  lookup->recorded.reset();
  entry->usage = ctx.usage;
  entry->costUsd = ctx.costUsd;
  entry->costKnown = ctx.costKnown;
  entry->model = ctx.deployment->upstreamModel;
  entry->deployment = ctx.deployment->id;
  entry->provider = ctx.deployment->provider;
  entry->storedAt = ResponseCache::Clock::now();
  entry->expiresAt = entry->storedAt + lookup->ttl;
  if (lookup->redis) lookup->redis->store(lookup->key, *entry);
  lookup->cache->insert(lookup->key, std::move(entry));
}

}  // namespace switchyard
