#include "core/url.hpp"

#include <boost/url/parse.hpp>
#include <charconv>

namespace switchyard {

namespace {

std::string hostHeaderOf(const Url& url) {
  std::string h = url.host.find(':') != std::string::npos ? "[" + url.host + "]" : url.host;
  if (url.port != (url.tls ? 443 : 80)) h += ":" + std::to_string(url.port);
  return h;
}

}  // namespace

// From the parts, not the cached forms: it also serves URLs whose parts were set by hand.
std::string Url::toString() const {
  std::string s = (tls ? "https://" : "http://") + hostHeaderOf(*this) + path;
  if (!query.empty()) s += "?" + query;
  return s;
}

Result<Url> parseUrl(std::string_view text) {
  auto parsed = boost::urls::parse_uri(text);
  if (!parsed) {
    return Error::make(ErrorClass::kBadRequest, "not a valid URL: '" + std::string(text) + "'");
  }
  Url url;
  const auto scheme = parsed->scheme();
  if (scheme == "https") {
    url.tls = true;
  } else if (scheme != "http") {
    return Error::make(ErrorClass::kBadRequest,
                       "URL must start with http:// or https://: '" + std::string(text) + "'");
  }
  url.host = parsed->host_address();
  if (parsed->host_type() == boost::urls::host_type::ipv6) {
    url.host = parsed->encoded_host_address();
  }
  if (url.host.empty()) {
    return Error::make(ErrorClass::kBadRequest, "URL has no host: '" + std::string(text) + "'");
  }
  url.port = url.tls ? 443 : 80;
  if (parsed->has_port()) {
    auto p = parsed->port();
    unsigned value = 0;
    auto [ptr, ec] = std::from_chars(p.data(), p.data() + p.size(), value);
    if (ec != std::errc{} || ptr != p.data() + p.size() || value == 0 || value > 65535) {
      return Error::make(ErrorClass::kBadRequest,
                         "URL has a bad port: '" + std::string(text) + "'");
    }
    url.port = static_cast<uint16_t>(value);
  }
  url.path = parsed->encoded_path();
  while (!url.path.empty() && url.path.back() == '/') url.path.pop_back();
  url.query = parsed->encoded_query();
  url.hostHeader_ = hostHeaderOf(url);
  url.origin_ = (url.tls ? "https://" : "http://") + url.hostHeader_;
  return url;
}

}  // namespace switchyard
