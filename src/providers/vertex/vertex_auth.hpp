#pragma once
// Google service-account OAuth for Vertex AI: an RS256-signed JWT assertion exchanged at the
// key's token_uri for an access token, cached for the credentials until shortly before expiry.

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>

#include "core/async.hpp"
#include "core/error.hpp"

namespace switchyard {

class UpstreamPool;
struct Snapshot;

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

// The access token of one set of service-account credentials, for every deployment that names
// them and every worker: one exchange serves them all until shortly before the token expires.
// The runtime owns it (Deployment::vertexTokens); a worker only holds it for the length of a
// request, through the request's snapshot.
class VertexTokenCache {
 public:
  // `credentials`: the key file's path or its JSON text (vertex_credentials).
  explicit VertexTokenCache(std::string credentials) : credentials_(std::move(credentials)) {}

  const std::string& credentials() const { return credentials_; }
  // A bearer token: cached, or freshly exchanged over `pool` (the calling worker's). Workers
  // that find it stale at the same moment each exchange; the last answer is kept.
  Task<Result<std::string>> token(UpstreamPool& pool);

  // Tokens are refreshed this long before they expire.
  static constexpr std::chrono::seconds kRefreshMargin{300};

 private:
  const std::string credentials_;
  std::mutex mutex_;  // the fields below: workers on several threads ask at once
  std::string token_;
  std::chrono::steady_clock::time_point refreshAt_{};
};

// Gives each Vertex AI deployment of `next` (and each Vertex wildcard route) with credentials
// the token cache of those credentials: the running snapshot's when `previous` has one for them,
// so that a reload does not exchange again, else a new one shared by the deployments that name
// the same credentials.
void shareVertexTokenCaches(Snapshot& next, const Snapshot* previous);

}  // namespace switchyard
