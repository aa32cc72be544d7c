#include "config/redis_settings.hpp"

#include <boost/url/parse.hpp>
#include <charconv>

namespace switchyard {

std::optional<RedisEndpoint> parseRedisUrl(const std::string& url, std::string& why) {
  auto parsed = boost::urls::parse_uri(url);
  if (!parsed) {
    why = "not a URL like redis://[user:password@]host[:port][/db]";
    return std::nullopt;
  }
  if (parsed->scheme() != "redis") {
    why = parsed->scheme() == "rediss"
              ? "rediss:// (Redis over TLS) is not supported; use redis:// on a trusted network"
              : "the scheme must be redis://";
    return std::nullopt;
  }
  RedisEndpoint e;
  e.host = parsed->host_address();
  if (e.host.empty()) {
    why = "the URL names no host";
    return std::nullopt;
  }
  if (parsed->has_port()) {
    if (parsed->port_number() == 0) {
      why = "the port must be 1-65535";
      return std::nullopt;
    }
    e.port = parsed->port_number();
  }
  if (parsed->has_userinfo()) {
    e.username = parsed->user();
    e.password = parsed->password();
  }
  const std::string decoded = parsed->path();
  std::string_view path = decoded;
  if (!path.empty() && path.front() == '/') path.remove_prefix(1);
  if (!path.empty()) {
    const auto [ptr, ec] = std::from_chars(path.data(), path.data() + path.size(), e.db);
    if (ec != std::errc() || ptr != path.data() + path.size() || e.db < 0) {
      why = "the path must be a database number (/0)";
      return std::nullopt;
    }
  }
  return e;
}

}  // namespace switchyard
