#pragma once
// The response cache's settings: LiteLLM's litellm_settings.cache + cache_params, and
// Switchyard's own switchyard_settings.cache (sizing, namespaces, what may be stored).

#include <chrono>
#include <cstddef>
#include <string>

#include "config/redis_settings.hpp"

namespace switchyard {

struct CacheSettings {
  bool enabled = false;  // litellm_settings.cache
  // cache_params.mode: default_off caches only requests that ask (cache: {use-cache: true}).
  bool optIn = false;
  std::chrono::milliseconds ttl{600'000};  // cache_params.ttl (LiteLLM's in-memory default)
  std::string prefix;                      // cache_params.namespace: prepended to every namespace
  // cache_params.supported_call_types, as the endpoints they name.
  bool chat = true;
  bool messages = true;
  // Whose answers a request may be served (switchyard_settings.cache.namespace_by): the virtual
  // key's own (default), its team's, or everyone's.
  enum class Scope { kKey, kTeam, kGlobal };
  Scope scope = Scope::kKey;
  size_t maxBytes = 256u << 20;  // switchyard_settings.cache.max_size_mb
  bool cacheToolCalls = false;   // switchyard_settings.cache.cache_tool_calls
  bool chargeHits = false;       // switchyard_settings.cache.charge_cache_hits
  // cache_params.type: redis: a second level under the in-process one, shared by every instance
  // on that Redis (host / port / password / username / db / url, or LiteLLM's REDIS_* variables;
  // socket_timeout bounds each look-up). Not configured: in process only.
  RedisEndpoint redis;
  size_t redisMaxEntryBytes = 1u << 20;  // switchyard_settings.cache.redis_max_entry_kb
};

}  // namespace switchyard
