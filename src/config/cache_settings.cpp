// litellm_settings.cache / cache_params and switchyard_settings.cache (config/cache_settings.hpp).
#include "config/cache_settings.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <string_view>

#include "config/sections.hpp"

namespace switchyard::config_detail {

namespace {

// LiteLLM cache_params keys of backends or tuning Switchyard does not have (yet).
constexpr std::array<std::string_view, 20> kCacheParamsNotSupported = {
    "default_in_redis_ttl",
    "max_connections",
    "redis_startup_nodes",
    "redis_flush_size",
    "redis_semantic_cache_embedding_model",
    "redis_semantic_cache_index_name",
    "redis_semantic_cache_use_async",
    "ssl",
    "disk_cache_dir",
    "s3_bucket_name",
    "s3_region_name",
    "s3_api_version",
    "s3_endpoint_url",
    "s3_path",
    "gcs_bucket_name",
    "gcs_path",
    "qdrant_semantic_cache_embedding_model",
    "qdrant_collection_name",
    "qdrant_quantization_config",
    "max_size_in_memory",
};

void readCallTypes(const YAML::Node& value, const std::string& path, CacheSettings& s,
                   ParseContext& ctx) {
  if (!value.IsSequence()) {
    ctx.error(path, "expected a list of call types like [acompletion, anthropic_messages]");
    return;
  }
  s.chat = s.messages = false;
  for (size_t i = 0; i < value.size(); ++i) {
    const auto p = indexPath(path, i);
    auto t = readString(value[i], p, ctx);
    if (!t) continue;
    if (*t == "completion" || *t == "acompletion") {
      s.chat = true;
    } else if (*t == "anthropic_messages") {
      s.messages = true;
    } else if (*t == "text_completion" || *t == "atext_completion" || *t == "embedding" ||
               *t == "aembedding" || *t == "atranscription" || *t == "transcription" ||
               *t == "rerank" || *t == "arerank" || *t == "responses" || *t == "aresponses") {
      ctx.warn(p, "call type not cached by Switchyard yet: ignored");
    } else {
      ctx.warn(p, "unknown call type: ignored");
    }
  }
}

// LiteLLM's Redis cache reads these when the config names no host.
void redisFromEnvironment(RedisEndpoint& r, const std::string& path, ParseContext& ctx) {
  if (auto url = ctx.getenv("REDIS_URL"); url && !url->empty()) {
    std::string why;
    if (auto e = parseRedisUrl(*url, why)) {
      e->timeout = r.timeout;
      r = *e;
    } else {
      ctx.error(path, "REDIS_URL: " + why);
    }
    return;
  }
  auto host = ctx.getenv("REDIS_HOST");
  if (!host || host->empty()) return;
  r.host = *host;
  if (auto port = ctx.getenv("REDIS_PORT"); port && !port->empty()) {
    int n = 0;
    const auto [ptr, ec] = std::from_chars(port->data(), port->data() + port->size(), n);
    if (ec != std::errc() || ptr != port->data() + port->size() || n < 1 || n > 65535) {
      ctx.error(path, "REDIS_PORT: expected a port number 1-65535");
    } else {
      r.port = static_cast<uint16_t>(n);
    }
  }
  if (auto password = ctx.getenv("REDIS_PASSWORD")) r.password = *password;
  if (auto user = ctx.getenv("REDIS_USERNAME")) r.username = *user;
}

}  // namespace

void parseCacheParams(const YAML::Node& node, const std::string& path, Snapshot& snap,
                      ParseContext& ctx) {
  if (isNull(node)) return;
  if (!node.IsMap()) {
    ctx.error(path, "expected a mapping like {type: local, ttl: 600}");
    return;
  }
  CacheSettings& s = snap.cache;
  bool redis = false;
  RedisEndpoint endpoint;
  endpoint.timeout = s.redis.timeout;
  std::string typePath = childPath(path, "type");
  for (auto& [key, value] : mapEntries(node, path, ctx)) {
    const auto p = childPath(path, key);
    if (key == "type") {
      auto t = readString(value, p, ctx);
      if (!t || *t == "local") continue;
      if (*t == "redis") {
        redis = true;
      } else if (*t == "redis-semantic" || *t == "valkey-semantic" || *t == "qdrant-semantic" ||
                 *t == "s3" || *t == "gcs" || *t == "disk") {
        ctx.warn(p, "cache type '" + *t +
                        "' is not supported yet: answers are cached exactly, in process (local)");
      } else {
        ctx.error(p, "unknown cache type '" + *t +
                         "' (LiteLLM's are local, redis, redis-semantic, qdrant-semantic, s3, "
                         "gcs, disk)");
      }
    } else if (key == "mode") {
      auto m = readString(value, p, ctx);
      if (!m) continue;
      if (*m == "default_on" || *m == "default_off") {
        s.optIn = *m == "default_off";
      } else {
        ctx.error(p, "expected default_on or default_off");
      }
    } else if (key == "ttl" || key == "default_in_memory_ttl") {
      if (auto t = readSeconds(value, p, ctx)) s.ttl = *t;
    } else if (key == "namespace") {
      if (auto n = readString(value, p, ctx)) s.prefix = *n;
    } else if (key == "supported_call_types") {
      readCallTypes(value, p, s, ctx);
    } else if (key == "similarity_threshold") {
      if (readNumber(value, p, ctx, 0, 1)) ctx.warn(p, "semantic caching is not supported yet");
    } else if (key == "socket_timeout") {
      if (auto t = readSeconds(value, p, ctx)) {
        if (t->count() < 1 || *t > std::chrono::seconds(10)) {
          ctx.error(p, "must be between 0.001 and 10 seconds");
        } else {
          endpoint.timeout = *t;
        }
      }
    } else if (parseRedisEndpointKey(key, value, p, endpoint, ctx)) {
    } else if (std::find(kCacheParamsNotSupported.begin(), kCacheParamsNotSupported.end(), key) !=
               kCacheParamsNotSupported.end()) {
      ctx.warn(p, std::string(kNotSupported));
    } else {
      ctx.warn(p, std::string(kUnknownKey));
    }
  }
  if (!redis) {
    if (endpoint.configured()) ctx.warn(path, "Redis settings are used only with type: redis");
    return;
  }
  if (!endpoint.configured()) redisFromEnvironment(endpoint, typePath, ctx);
  if (!endpoint.configured()) {
    ctx.error(typePath,
              "type: redis needs host (or url, or REDIS_HOST / REDIS_URL in the environment)");
    return;
  }
  s.redis = endpoint;
}

void parseSwitchyardCache(const YAML::Node& node, const std::string& path, Snapshot& snap,
                          ParseContext& ctx) {
  if (isNull(node)) return;
  if (!node.IsMap()) {
    ctx.error(path, "expected a mapping like {max_size_mb: 256, namespace_by: key}");
    return;
  }
  CacheSettings& s = snap.cache;
  for (auto& [key, value] : mapEntries(node, path, ctx)) {
    const auto p = childPath(path, key);
    if (key == "max_size_mb") {
      if (auto mb = readNumber(value, p, ctx, 0.001, 1024 * 1024)) {
        s.maxBytes = static_cast<size_t>(*mb * 1024 * 1024);
      }
    } else if (key == "namespace_by") {
      auto n = readString(value, p, ctx);
      if (!n) continue;
      if (*n == "key") {
        s.scope = CacheSettings::Scope::kKey;
      } else if (*n == "team") {
        s.scope = CacheSettings::Scope::kTeam;
      } else if (*n == "global") {
        s.scope = CacheSettings::Scope::kGlobal;
      } else {
        ctx.error(p, "expected key, team or global");
      }
    } else if (key == "redis_max_entry_kb") {
      if (auto kb = readNumber(value, p, ctx, 1, 512 * 1024)) {
        s.redisMaxEntryBytes = static_cast<size_t>(*kb * 1024);
      }
    } else if (key == "cache_tool_calls") {
      if (auto b = readBool(value, p, ctx)) s.cacheToolCalls = *b;
    } else if (key == "charge_cache_hits") {
      if (auto b = readBool(value, p, ctx)) s.chargeHits = *b;
    } else {
      ctx.warn(p, std::string(kUnknownKey));
    }
  }
}

}  // namespace switchyard::config_detail
