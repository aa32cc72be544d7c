// Vertex AI service-account auth: the RS256 JWT verifies with the key's public half, the token
// exchange runs against the mock provider's POST /token, and tokens are cached per worker.

#include <gtest/gtest.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <algorithm>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>
#include <cstdio>
#include <fstream>
#include <memory>
#include <optional>

#include "client/upstream_pool.hpp"
#include "core/async.hpp"
#include "mock_provider/mock_test_support.hpp"
#include "providers/vertex/vertex_adapter.hpp"
#include "providers/vertex/vertex_auth.hpp"

namespace switchyard {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;

using PKey = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;

PKey generateKey() { return PKey(EVP_RSA_gen(2048), &EVP_PKEY_free); }

std::string privatePem(EVP_PKEY* key) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), &BIO_free);
  PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, size_t(size));
}

std::string base64UrlDecode(std::string_view in) {
  std::string out;
  uint32_t buffer = 0;
  int bits = 0;
  for (char c : in) {
    int v = c >= 'A' && c <= 'Z'   ? c - 'A'
            : c >= 'a' && c <= 'z' ? c - 'a' + 26
            : c >= '0' && c <= '9' ? c - '0' + 52
            : c == '-'             ? 62
            : c == '_'             ? 63
                                   : -1;
    EXPECT_GE(v, 0) << "not base64url: " << c;
    buffer = buffer << 6 | uint32_t(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(char(buffer >> bits & 0xFF));
    }
  }
  return out;
}

std::string keyJson(const std::string& pem, const std::string& tokenUri) {
  json::object key{{"type", "service_account"},
                   {"project_id", "proj"},
                   {"private_key_id", "kid-1"},
                   {"private_key", pem},
                   {"client_email", "gateway@proj.iam.gserviceaccount.com"},
                   {"client_id", "123"}};
  if (!tokenUri.empty()) key["token_uri"] = tokenUri;
  return json::serialize(key);
}

TEST(VertexAuth, JwtIsRs256SignedAndVerifiesWithThePublicKey) {
  auto pkey = generateKey();
  ASSERT_TRUE(pkey);
  auto key = loadServiceAccountKey(keyJson(privatePem(pkey.get()), ""));
  ASSERT_TRUE(key) << key.error().message;
  EXPECT_EQ(key->tokenUri, "https://oauth2.googleapis.com/token");
  auto jwt = signServiceAccountJwt(*key, kCloudPlatformScope, 1700000000);
  ASSERT_TRUE(jwt) << jwt.error().message;

  const size_t dot1 = jwt->find('.');
  const size_t dot2 = jwt->find('.', dot1 + 1);
  ASSERT_NE(dot2, std::string::npos);
  EXPECT_EQ(jwt->find('='), std::string::npos) << "base64url without padding";
  EXPECT_EQ(json::parse(base64UrlDecode(jwt->substr(0, dot1))),
            json::parse(R"({"alg":"RS256","typ":"JWT","kid":"kid-1"})"));
  EXPECT_EQ(json::parse(base64UrlDecode(jwt->substr(dot1 + 1, dot2 - dot1 - 1))),
            json::parse(R"({"iss":"gateway@proj.iam.gserviceaccount.com",
                "scope":"https://www.googleapis.com/auth/cloud-platform",
                "aud":"https://oauth2.googleapis.com/token","iat":1700000000,"exp":1700003600})"));

  const std::string signingInput = jwt->substr(0, dot2);
  const std::string signature = base64UrlDecode(jwt->substr(dot2 + 1));
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  ASSERT_EQ(EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, pkey.get()), 1);
  EXPECT_EQ(EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                             signature.size(),
                             reinterpret_cast<const unsigned char*>(signingInput.data()),
                             signingInput.size()),
            1);
  // A different key must not verify it.
  auto other = generateKey();
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx2(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  ASSERT_EQ(EVP_DigestVerifyInit(ctx2.get(), nullptr, EVP_sha256(), nullptr, other.get()), 1);
  EXPECT_NE(EVP_DigestVerify(ctx2.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                             signature.size(),
                             reinterpret_cast<const unsigned char*>(signingInput.data()),
                             signingInput.size()),
            1);
}

TEST(VertexAuth, BadKeysAreCredentialErrors) {
  for (const char* text :
       {"{not json", R"({"type":"authorized_user","client_email":"a","private_key":"b"})",
        R"({"type":"service_account","client_email":"a"})", "/nonexistent/key.json"}) {
    auto key = loadServiceAccountKey(text);
    ASSERT_FALSE(key) << text;
    EXPECT_EQ(key.error().cls, ErrorClass::kUnauthorized);
  }
  auto key = loadServiceAccountKey(
      R"({"type":"service_account","client_email":"a","private_key":"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"})");
  ASSERT_TRUE(key);
  EXPECT_FALSE(signServiceAccountJwt(*key, kCloudPlatformScope, 0));
}

class VertexTokenExchange : public ::testing::Test {
 protected:
  void SetUp() override {
    pkey_ = generateKey();
    tokenUri_ = "http://127.0.0.1:" + std::to_string(mock_.port()) + "/token";
  }

  Deployment deployment(const std::string& credentials) {
    Deployment d;
    d.id = "vertex#0";
    d.format = WireFormat::kVertex;
    d.upstreamModel = "gemini-2.5-pro";
    d.apiBase = *parseUrl("http://127.0.0.1:" + std::to_string(mock_.port()));
    d.providerParams = {{"vertex_project", "proj"},
                        {"vertex_location", "us-central1"},
                        {"vertex_credentials", credentials}};
    // As server/runtime_builder gives it one: a token cache of its own.
    if (!credentials.empty()) d.vertexTokens = std::make_shared<VertexTokenCache>(credentials);
    return d;
  }

  // Runs addCredentials on this thread's io_context, as a worker does.
  Result<UpstreamRequest> credentialsFor(const Deployment& d) {
    asio::io_context ioc;
    UpstreamPool pool(ioc.get_executor(), makeClientTlsContext());
    VertexAdapter adapter;
    UpstreamRequest request;
    std::optional<Result<void>> result;
    asio::co_spawn(
        ioc, [&]() -> Task<void> { result = co_await adapter.addCredentials(d, request, pool); },
        asio::detached);
    ioc.run();
    if (!*result) return result->error();
    return request;
  }

  static std::string authorization(const UpstreamRequest& r) {
    for (const auto& [name, value] : r.headers) {
      if (name == "Authorization") return value;
    }
    return {};
  }

  mock::testing::RunningMock mock_;
  PKey pkey_{nullptr, &EVP_PKEY_free};
  std::string tokenUri_;
};

TEST_F(VertexTokenExchange, ExchangesOnceThenServesFromCache) {
  const auto d = deployment(keyJson(privatePem(pkey_.get()), tokenUri_));
  auto first = credentialsFor(d);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(authorization(*first), "Bearer mock-vertex-access-token");
  EXPECT_EQ(mock_.server().stats().requests.load(), 1u);
  auto last = mock_.server().stats().lastRequest();
  ASSERT_TRUE(last);
  EXPECT_EQ(last->target, "/token");
  // RFC 7523: a form-encoded body, sent as such.
  const std::string_view kPrefix =
      "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=";
  ASSERT_TRUE(last->body.starts_with(kPrefix)) << last->body;
  const auto contentType = std::find_if(last->headers.begin(), last->headers.end(),
                                        [](const auto& h) { return h.first == "content-type"; });
  ASSERT_NE(contentType, last->headers.end());
  EXPECT_EQ(contentType->second, "application/x-www-form-urlencoded");
  const std::string assertion = last->body.substr(kPrefix.size());
  const size_t dot1 = assertion.find('.');
  const size_t dot2 = assertion.find('.', dot1 + 1);
  auto claims = json::parse(base64UrlDecode(assertion.substr(dot1 + 1, dot2 - dot1 - 1)));
  EXPECT_EQ(claims.at("aud").as_string(), tokenUri_);

  auto second = credentialsFor(d);
  ASSERT_TRUE(second);
  EXPECT_EQ(authorization(*second), "Bearer mock-vertex-access-token");
  EXPECT_EQ(mock_.server().stats().requests.load(), 1u) << "the cached token must be reused";

  // Another cache for the same credentials has no token yet.
  ASSERT_TRUE(credentialsFor(deployment(keyJson(privatePem(pkey_.get()), tokenUri_))));
  EXPECT_EQ(mock_.server().stats().requests.load(), 2u);
}

TEST_F(VertexTokenExchange, KeyFilePathAndApiKeyToken) {
  const std::string path = ::testing::TempDir() + "vertex-sa-key.json";
  {
    std::ofstream out(path);
    out << keyJson(privatePem(pkey_.get()), tokenUri_);
  }
  auto fromFile = credentialsFor(deployment(path));
  std::remove(path.c_str());
  ASSERT_TRUE(fromFile) << fromFile.error().message;
  EXPECT_EQ(authorization(*fromFile), "Bearer mock-vertex-access-token");

  auto d = deployment("");
  d.apiKey = "ya29.already-issued";
  auto direct = credentialsFor(d);
  ASSERT_TRUE(direct);
  EXPECT_EQ(authorization(*direct), "Bearer ya29.already-issued");
  EXPECT_EQ(mock_.server().stats().requests.load(), 1u);
}

TEST_F(VertexTokenExchange, FailedExchangeIsAnError) {
  auto d = deployment(keyJson(privatePem(pkey_.get()),
                              "http://127.0.0.1:" + std::to_string(mock_.port()) + "/nope"));
  auto r = credentialsFor(d);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("token exchange"), std::string::npos) << r.error().message;

  auto none = deployment("");
  if (std::getenv("GOOGLE_APPLICATION_CREDENTIALS") == nullptr) {
    auto missing = credentialsFor(none);
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().cls, ErrorClass::kUnauthorized);
  }
}

}  // namespace
}  // namespace switchyard
