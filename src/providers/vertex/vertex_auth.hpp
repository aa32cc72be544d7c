#pragma once
// Google service-account OAuth for Vertex AI: an RS256-signed JWT assertion exchanged at the
// key's token_uri for an access token, cached per worker thread until shortly before expiry.

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/async.hpp"
#include "core/error.hpp"

namespace switchyard {

class UpstreamPool;

inline constexpr std::string_view kCloudPlatformScope =
    "https://www.googleapis.com/auth/cloud-platform";

struct ServiceAccountKey {
  std::string clientEmail;
  std::string privateKeyPem;
  std::string privateKeyId;
  std::string tokenUri;  // https://oauth2.googleapis.com/token unless the key says otherwise
};

// `pathOrJson`: the key's JSON text, or the path of a file holding it.
Result<ServiceAccountKey> loadServiceAccountKey(std::string_view pathOrJson);

// header.claims.signature, each base64url; valid from `now` (unix seconds) for an hour.
Result<std::string> signServiceAccountJwt(const ServiceAccountKey& key, std::string_view scope,
                                          int64_t now);

class VertexTokenCache {
 public:
  // A bearer token for these credentials (path or JSON text): cached, or freshly exchanged.
  Task<Result<std::string>> token(const std::string& credentials, UpstreamPool& pool);

  // Tokens are refreshed this long before they expire.
  static constexpr std::chrono::seconds kRefreshMargin{300};
  // One per worker thread: workers share nothing, and their pools are per thread too.
  static VertexTokenCache& forThisThread();
  void clear() { entries_.clear(); }

 private:
  struct Entry {
    std::string token;
    std::chrono::steady_clock::time_point refreshAt;
  };
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace switchyard
