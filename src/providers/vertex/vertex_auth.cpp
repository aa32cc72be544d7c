#include "providers/vertex/vertex_auth.hpp"

#include <openssl/evp.h>
#include <openssl/pem.h>

#include <boost/json.hpp>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>

#include "client/upstream_exchange.hpp"
#include "config/snapshot.hpp"
#include "core/async.hpp"
#include "core/url.hpp"
#include "providers/common/base64.hpp"
#include "providers/common/errors.hpp"
#include "providers/common/json_fields.hpp"
#include "providers/openai/openai_errors.hpp"
#include "providers/vertex/vertex_adapter.hpp"

namespace switchyard {

namespace json = boost::json;
using namespace common;

namespace {

constexpr std::string_view kDefaultTokenUri = "https://oauth2.googleapis.com/token";
constexpr int64_t kJwtLifetimeSeconds = 3600;
constexpr auto kTokenTimeout = std::chrono::seconds(30);
constexpr size_t kMaxTokenBody = 64 * 1024;
constexpr size_t kMaxKeyFileBytes = 1024 * 1024;

Error credentialsError(std::string message) {
  return Error::make(ErrorClass::kUnauthorized, "Vertex AI credentials: " + std::move(message), {},
                     "invalid_credentials");
}

}  // namespace

Result<ServiceAccountKey> loadServiceAccountKey(std::string_view pathOrJson) {
  std::string text;
  const size_t first = pathOrJson.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos && pathOrJson[first] == '{') {
    text = std::string(pathOrJson);
  } else {
    std::ifstream in{std::string(pathOrJson), std::ios::binary};
    if (!in) return credentialsError("cannot read key file '" + std::string(pathOrJson) + "'");
    std::ostringstream ss;
    ss << in.rdbuf();
    text = ss.str();
    if (text.size() > kMaxKeyFileBytes) return credentialsError("key file is too large");
  }
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) return credentialsError("the service-account key is not JSON");
  const auto& o = v.get_object();
  if (auto type = stringField(o, "type"); !type.empty() && type != "service_account") {
    return credentialsError("only service_account keys are supported (got '" + std::string(type) +
                            "')");
  }
  ServiceAccountKey key;
  key.clientEmail = stringField(o, "client_email");
  key.privateKeyPem = stringField(o, "private_key");
  key.privateKeyId = stringField(o, "private_key_id");
  key.tokenUri = stringField(o, "token_uri");
  if (key.tokenUri.empty()) key.tokenUri = kDefaultTokenUri;
  if (key.clientEmail.empty() || key.privateKeyPem.empty()) {
    return credentialsError("the key has no client_email or private_key");
  }
  return key;
}

Result<std::string> signServiceAccountJwt(const ServiceAccountKey& key, std::string_view scope,
                                          int64_t now) {
  json::object header{{"alg", "RS256"}, {"typ", "JWT"}};
  if (!key.privateKeyId.empty()) header["kid"] = key.privateKeyId;
  json::object claims{{"iss", key.clientEmail},
                      {"scope", scope},
                      {"aud", key.tokenUri},
                      {"iat", now},
                      {"exp", now + kJwtLifetimeSeconds}};
  std::string signingInput =
      base64UrlEncode(json::serialize(header)) + "." + base64UrlEncode(json::serialize(claims));

  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(key.privateKeyPem.data(), static_cast<int>(key.privateKeyPem.size())),
      &BIO_free);
  if (!bio) return credentialsError("out of memory reading the private key");
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> pkey(
      PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr), &EVP_PKEY_free);
  if (!pkey) return credentialsError("private_key is not a PEM private key");
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  size_t length = 0;
  const auto* input = reinterpret_cast<const unsigned char*>(signingInput.data());
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, pkey.get()) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &length, input, signingInput.size()) != 1) {
    return credentialsError("cannot sign with private_key (an RSA key is required)");
  }
  std::string signature(length, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &length, input,
                     signingInput.size()) != 1) {
    return credentialsError("signing the token request failed");
  }
  signature.resize(length);
  return signingInput + "." + base64UrlEncode(signature);
}

Task<Result<std::string>> VertexTokenCache::token(UpstreamPool& pool) {
  std::string cached;
  {
    std::lock_guard lock(mutex_);
    if (std::chrono::steady_clock::now() < refreshAt_) cached = token_;
  }
  if (!cached.empty()) co_return cached;
  auto key = loadServiceAccountKey(credentials_);
  if (!key) {
    Error e = key.error();
    co_return e;
  }
  const int64_t unixNow = std::chrono::duration_cast<std::chrono::seconds>(
                              std::chrono::system_clock::now().time_since_epoch())
                              .count();
  auto jwt = signServiceAccountJwt(*key, kCloudPlatformScope, unixNow);
  if (!jwt) {
    Error e = jwt.error();
    co_return e;
  }
  auto tokenUrl = parseUrl(key->tokenUri);
  if (!tokenUrl) {
    Error e = credentialsError("token_uri: " + tokenUrl.error().message);
    co_return e;
  }
  UpstreamRequest request;
  request.target = tokenUrl->path.empty() ? "/" : tokenUrl->path;
  if (!tokenUrl->query.empty()) request.target += "?" + tokenUrl->query;
  // RFC 7523's form encoding; a JWT is base64url and dots, which need no escaping.
  request.contentType = "application/x-www-form-urlencoded";
  request.body =
      "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=" + *jwt;

  UpstreamExchange exchange(pool);
  auto started = co_await exchange.start(*tokenUrl, std::move(request), {},
                                         std::chrono::milliseconds(kTokenTimeout));
  if (!started) {
    Error e = started.error();
    co_return e;
  }
  auto body = co_await exchange.readAll(std::chrono::milliseconds(kTokenTimeout), kMaxTokenBody);
  if (!body) {
    Error e = body.error();
    co_return e;
  }
  exchange.finish();
  const int status = exchange.status();
  if (status < 200 || status >= 300) {
    Error e = classifyOpenAiError(status, *body, {});
    // The token endpoint says invalid_grant (400) for a revoked or unknown key: an auth problem.
    if (status == 400 || status == 401 || status == 403) {
      e.cls = ErrorClass::kUnauthorized;
      e.status = 401;
    }
    e.message = "Vertex AI token exchange at " + key->tokenUri + " failed: " + e.message;
    co_return e;
  }
  auto parsed = parseObjectBody(*body);
  const auto accessToken = parsed ? stringField(*parsed, "access_token") : std::string_view();
  if (accessToken.empty()) {
    Error e = badUpstream("The Vertex AI token endpoint answered without an access_token.");
    co_return e;
  }
  int64_t expiresIn = intField(*parsed, "expires_in");
  if (expiresIn <= 0) expiresIn = kJwtLifetimeSeconds;
  const auto lifetime = std::chrono::seconds(expiresIn);
  const auto margin = std::min<std::chrono::seconds>(kRefreshMargin, lifetime / 2);
  std::string token(accessToken);
  {
    std::lock_guard lock(mutex_);
    token_ = token;
    refreshAt_ = std::chrono::steady_clock::now() + lifetime - margin;
  }
  co_return token;
}

void shareVertexTokenCaches(Snapshot& next, const Snapshot* previous) {
  std::map<std::string, std::shared_ptr<VertexTokenCache>, std::less<>> byCredentials;
  auto remember = [&byCredentials](const Deployment& d) {
    if (d.vertexTokens) byCredentials.emplace(d.vertexTokens->credentials(), d.vertexTokens);
  };
  if (previous) {
    for (const auto& d : previous->deployments) remember(*d);
    for (const auto& w : previous->wildcards) remember(w.deploymentTemplate);
  }
  // Null for a deployment that needs none: another provider, or no credentials to exchange.
  auto cacheFor = [&byCredentials](const Deployment& d) -> std::shared_ptr<VertexTokenCache> {
    if (d.format != WireFormat::kVertex) return nullptr;
    std::string credentials = vertexCredentials(d);
    if (credentials.empty()) return nullptr;
    auto& cache = byCredentials[credentials];
    if (!cache) cache = std::make_shared<VertexTokenCache>(std::move(credentials));
    return cache;
  };
  for (auto& d : next.deployments) {
    auto cache = cacheFor(*d);
    if (cache == d->vertexTokens) continue;
    // The parsed snapshot shares its deployments: change a copy.
    auto copy = std::make_shared<Deployment>(*d);
    copy->vertexTokens = std::move(cache);
    d = std::move(copy);
  }
  for (auto& w : next.wildcards) w.deploymentTemplate.vertexTokens = cacheFor(w.deploymentTemplate);
}

}  // namespace switchyard
