#pragma once
// Where a Redis server is and what the instances share through it: router_settings.redis_host /
// redis_port / redis_password / redis_url (LiteLLM's keys) and switchyard_settings.shared_limits
// (docs/scale-out.md).

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace switchyard {

struct RedisEndpoint {
  std::string host;  // empty: no Redis configured
  uint16_t port = 6379;
  std::string username;  // ACL user (Redis 6+); empty: the default user
  std::string password;
  int db = 0;
  std::chrono::milliseconds timeout{250};  // connect, and each pipeline's round trip

  bool configured() const { return !host.empty(); }
  bool operator==(const RedisEndpoint&) const = default;
};

// `redis://[user:password@]host[:port][/db]`, as LiteLLM's redis_url takes it; nullopt
// with `why` set when the URL is not one.
std::optional<RedisEndpoint> parseRedisUrl(const std::string& url, std::string& why);

struct SharedLimitsSettings {
  RedisEndpoint redis;                 // not configured: every limit is per instance
  std::string prefix = "switchyard:";  // every key the instances write starts with it
  int expectedInstances = 1;           // per-instance limits while Redis is down: limit / this
  std::chrono::milliseconds syncInterval{50};
  bool operator==(const SharedLimitsSettings&) const = default;
};

}  // namespace switchyard
