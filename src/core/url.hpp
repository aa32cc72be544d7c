#pragma once
// An upstream base URL split into the parts the connection pool and request builder need.

#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace switchyard {

struct Url;
// Accepts http:// and https:// URLs; anything else is a config error.
Result<Url> parseUrl(std::string_view text);

struct Url {
  bool tls = false;
  std::string host;  // without brackets for IPv6
  uint16_t port = 0;
  std::string path;   // no trailing slash; "" for the root
  std::string query;  // without '?'

  // "scheme://host[:port]", the pool's key, and "host[:port]", the Host header: both on every
  // request's path, so parseUrl works them out once.
  const std::string& origin() const { return origin_; }
  const std::string& hostHeader() const { return hostHeader_; }
  bool empty() const { return host.empty(); }
  std::string toString() const;

 private:
  friend Result<Url> parseUrl(std::string_view text);
  std::string hostHeader_;
  std::string origin_;
};

}  // namespace switchyard
