// Redis for limits shared across instances: LiteLLM's router_settings.redis_host / redis_port /
// redis_password / redis_url / redis_db, and switchyard_settings.shared_limits (docs/scale-out.md).

#include "config/sections.hpp"

namespace switchyard::config_detail {

bool parseRedisEndpointKey(std::string_view key, const YAML::Node& value, const std::string& path,
                           RedisEndpoint& r, ParseContext& ctx) {
  if (key == "host") {
    if (auto s = readString(value, path, ctx, UnsetEnv::kWarning)) r.host = *s;
  } else if (key == "port") {
    // LiteLLM configs write it as a number or as os.environ/REDIS_PORT (a string).
    if (auto port = readInteger(value, path, ctx, 1, 65535)) r.port = static_cast<uint16_t>(*port);
  } else if (key == "password") {
    if (auto s = readString(value, path, ctx, UnsetEnv::kWarning)) r.password = *s;
  } else if (key == "username") {
    if (auto s = readString(value, path, ctx, UnsetEnv::kWarning)) r.username = *s;
  } else if (key == "db") {
    if (auto db = readInteger(value, path, ctx, 0, 1 << 20)) r.db = static_cast<int>(*db);
  } else if (key == "url") {
    auto url = readString(value, path, ctx, UnsetEnv::kWarning);
    if (!url) return true;
    std::string why;
    if (auto e = parseRedisUrl(*url, why)) {
      e->timeout = r.timeout;
      r = *e;
    } else {
      ctx.error(path, why);  // never echoes the URL: it may carry a password
    }
  } else {
    return false;
  }
  return true;
}

bool parseRouterRedisKey(const std::string& key, const YAML::Node& value, const std::string& path,
                         Snapshot& snap, ParseContext& ctx) {
  constexpr std::string_view kPrefix = "redis_";
  if (!key.starts_with(kPrefix)) return false;
  const std::string_view name = std::string_view(key).substr(kPrefix.size());
  RedisEndpoint& r = snap.sharedLimits.redis;
  if (!parseRedisEndpointKey(name, value, path, r, ctx)) return false;
  // The effective router settings show where Redis is, never its password or URL.
  auto& shown = snap.routerSettings;
  if (name == "host") {
    shown[key] = r.host;
  } else if (name == "port") {
    shown[key] = static_cast<int64_t>(r.port);  // as the YAML number it was
  } else if (name == "db") {
    shown[key] = r.db;
  } else if (name == "username") {
    shown[key] = r.username;
  }
  return true;
}

void parseSwitchyardSharedLimits(const YAML::Node& node, const std::string& path, Snapshot& snap,
                                 ParseContext& ctx) {
  if (isNull(node)) return;
  if (!node.IsMap()) {
    ctx.error(path, "expected a mapping like {expected_instances: 3}");
    return;
  }
  SharedLimitsSettings& s = snap.sharedLimits;
  for (auto& [key, value] : mapEntries(node, path, ctx)) {
    const auto p = childPath(path, key);
    if (key == "expected_instances") {
      if (auto n = readInteger(value, p, ctx, 1, 10'000))
        s.expectedInstances = static_cast<int>(*n);
    } else if (key == "sync_interval") {
      if (auto t = readSeconds(value, p, ctx)) {
        if (*t < std::chrono::milliseconds(5) || *t > std::chrono::seconds(10)) {
          ctx.error(p, "must be between 0.005 and 10 seconds");
        } else {
          s.syncInterval = *t;
        }
      }
    } else if (key == "redis_timeout") {
      if (auto t = readSeconds(value, p, ctx)) s.redis.timeout = *t;
    } else if (key == "key_prefix") {
      if (auto v = readString(value, p, ctx)) s.prefix = *v;
    } else {
      ctx.warn(p, std::string(kUnknownKey));
    }
  }
}

}  // namespace switchyard::config_detail
