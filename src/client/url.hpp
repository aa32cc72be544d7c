#pragma once
// An upstream base URL split into the parts the connection pool and request builder need.

#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace switchyard {

struct Url {
  bool tls = false;
  std::string host;  // without brackets for IPv6
  uint16_t port = 0;
  std::string path;   // no trailing slash; "" for the root
  std::string query;  // without '?'

  // "host:port" form used as the pool key and as the Host header.
  std::string origin() const;
  std::string hostHeader() const;
  bool empty() const { return host.empty(); }
  std::string toString() const;
};

// Accepts http:// and https:// URLs; anything else is a config error.
Result<Url> parseUrl(std::string_view text);

}  // namespace switchyard
