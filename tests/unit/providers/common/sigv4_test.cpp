// The SigV4 signer against AWS's published Signature Version 4 test suite (example credentials
// AKIDEXAMPLE, us-east-1, service "service", 20150830T123600Z) and the Bedrock signing step.

#include <gtest/gtest.h>

#include <cstdlib>

#include "config/config_test_util.hpp"
#include "config/loader.hpp"
#include "providers/bedrock/bedrock_adapter.hpp"
#include "providers/common/sigv4.hpp"

namespace switchyard {
namespace {

constexpr std::string_view kDate = "20150830T123600Z";
constexpr std::string_view kEmptyHash =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
constexpr std::string_view kSuiteAuthz =
    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, ";
constexpr std::string_view kSuiteToken =
    "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSP"
    "fIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT"
    "7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKml"
    "zm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==";

const sigv4::Credentials kSuiteCredentials{"AKIDEXAMPLE",
                                           "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", ""};

struct SuiteCase {
  const char* name;
  const char* method;
  const char* path;
  const char* query;
  std::vector<std::pair<std::string, std::string>> extraHeaders;
  std::string body;
  const char* signedHeaders;
  const char* signature;
};

class SigV4Suite : public ::testing::TestWithParam<SuiteCase> {};

TEST_P(SigV4Suite, MatchesThePublishedSignature) {
  const auto& c = GetParam();
  sigv4::Request r;
  r.method = c.method;
  r.path = c.path;
  r.query = c.query;
  r.headers = {{"Host", "example.amazonaws.com"}, {"X-Amz-Date", std::string(kDate)}};
  for (const auto& h : c.extraHeaders) r.headers.push_back(h);
  const std::string hash = sigv4::sha256Hex(c.body);
  r.payloadHash = hash;
  const auto s = sigv4::sign(r, kSuiteCredentials, "us-east-1", "service", kDate);
  EXPECT_EQ(s.authorization, std::string(kSuiteAuthz) + "SignedHeaders=" + c.signedHeaders +
                                 ", Signature=" + c.signature);
}

INSTANTIATE_TEST_SUITE_P(
    AwsTestSuite, SigV4Suite,
    ::testing::Values(SuiteCase{"get-vanilla",
                                "GET",
                                "/",
                                "",
                                {},
                                "",
                                "host;x-amz-date",
                                "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"},
                      SuiteCase{"post-vanilla",
                                "POST",
                                "/",
                                "",
                                {},
                                "",
                                "host;x-amz-date",
                                "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"},
                      SuiteCase{"get-vanilla-query-order-key-case",
                                "GET",
                                "/",
                                "Param2=value2&Param1=value1",
                                {},
                                "",
                                "host;x-amz-date",
                                "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"},
                      SuiteCase{"get-space",
                                "GET",
                                "/example space/",
                                "",
                                {},
                                "",
                                "host;x-amz-date",
                                "652487583200325589f1fba4c7e578f72c47cb61beeca81406b39ddec1366741"},
                      SuiteCase{"get-special-character",
                                "GET",
                                "/example/$delete",
                                "",
                                {},
                                "",
                                "host;x-amz-date",
                                "a853c9b21b528b19643d00910d35b83a10c366a10833ceefb45edd6c80e40f27"},
                      SuiteCase{"get-header-value-trim",
                                "GET",
                                "/",
                                "",
                                {{"My-Header1", " value1"}, {"My-Header2", "\"a   b   c\""}},
                                "",
                                "host;my-header1;my-header2;x-amz-date",
                                "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736"},
                      SuiteCase{"post-x-www-form-urlencoded",
                                "POST",
                                "/",
                                "",
                                {{"Content-Type", "application/x-www-form-urlencoded"}},
                                "Param1=value1",
                                "content-type;host;x-amz-date",
                                "ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a"},
                      SuiteCase{
                          "post-sts-header-before",
                          "POST",
                          "/",
                          "",
                          {{"X-Amz-Security-Token", std::string(kSuiteToken)}},
                          "",
                          "host;x-amz-date;x-amz-security-token",
                          "85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead"}),
    [](const auto& info) {
      std::string n = info.param.name;
      for (auto& ch : n) {
        if (ch == '-') ch = '_';
      }
      return n;
    });

TEST(SigV4, CanonicalRequestOfTheSuitesVanillaGet) {
  sigv4::Request r;
  r.method = "GET";
  r.path = "/";
  r.headers = {{"Host", "example.amazonaws.com"}, {"X-Amz-Date", std::string(kDate)}};
  r.payloadHash = kEmptyHash;
  const auto s = sigv4::sign(r, kSuiteCredentials, "us-east-1", "service", kDate);
  EXPECT_EQ(s.canonicalRequest,
            "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\n"
            "host;x-amz-date\n" +
                std::string(kEmptyHash));
  EXPECT_EQ(s.stringToSign,
            "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"
            "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63");
}

TEST(SigV4, HashesAndDates) {
  EXPECT_EQ(sigv4::sha256Hex(""), kEmptyHash);
  EXPECT_EQ(sigv4::sha256Hex("Param1=value1"),
            "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e");
  EXPECT_EQ(sigv4::amzDate(std::chrono::system_clock::from_time_t(1440938160)), kDate);
  EXPECT_EQ(sigv4::amzDate(std::chrono::system_clock::from_time_t(0)), "19700101T000000Z");
}

TEST(SigV4, ModelIdColonIsDoubleEncodedInTheCanonicalUri) {
  const std::string wire =
      bedrock::modelPath("anthropic.claude-3-5-sonnet-20240620-v1:0", "converse");
  EXPECT_EQ(wire, "/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse");
  EXPECT_EQ(sigv4::canonicalUri(wire),
            "/model/anthropic.claude-3-5-sonnet-20240620-v1%253A0/converse");
  EXPECT_EQ(bedrock::modelPath("arn:aws:bedrock:us-east-1:123:inference-profile/us.x", "invoke"),
            "/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A123%3Ainference-profile%2Fus.x/invoke");
}

Deployment bedrockDeployment() {
  Deployment d;
  d.id = "claude#0";
  d.upstreamModel = "anthropic.claude-3-5-sonnet-20240620-v1:0";
  d.apiBase = parseUrl("https://bedrock-runtime.us-west-2.amazonaws.com").value();
  d.providerParams = {{"aws_access_key_id", "AKIDEXAMPLE"},
                      {"aws_secret_access_key", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"},
                      {"aws_session_token", "session-token"}};
  return d;
}

BedrockAdapter pinnedAdapter() {
  return BedrockAdapter([] { return std::chrono::system_clock::from_time_t(1440938160); });
}

// A Bedrock deployment as the loader makes it from `litellmParams` (YAML lines under
// litellm_params) with the environment `env`: where AWS_* variables reach the adapter.
Deployment loadedDeployment(std::map<std::string, std::string, std::less<>> env,
                            const std::string& litellmParams = "") {
  const std::string yaml =
      "model_list:\n"
      "  - model_name: claude\n"
      "    litellm_params:\n"
      "      model: bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0\n" +
      litellmParams;
  auto loaded = loadConfigText(yaml, testing::mapEnvironment(std::move(env)), "test");
  EXPECT_TRUE(loaded.ok()) << testing::allDiagnostics(loaded);
  if (!loaded.snapshot || loaded.snapshot->deployments.empty()) return {};
  return *loaded.snapshot->deployments.front();
}

std::string header(const UpstreamRequest& r, std::string_view name) {
  for (const auto& [n, v] : r.headers) {
    if (n == name) return v;
  }
  return {};
}

TEST(BedrockSigning, SignsWithTheDeploymentKeysAtTheInjectedTime) {
  const auto adapter = pinnedAdapter();
  const Deployment d = bedrockDeployment();
  UpstreamRequest r;
  r.target = "/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse";
  r.body = R"({"messages":[]})";
  ASSERT_TRUE(adapter.sign(d, r));
  EXPECT_EQ(header(r, "X-Amz-Date"), "20150830T123600Z");
  EXPECT_EQ(header(r, "X-Amz-Content-Sha256"), sigv4::sha256Hex(r.body));
  EXPECT_EQ(header(r, "X-Amz-Security-Token"), "session-token");

  // The same request signed by hand from its canonical parts.
  sigv4::Request expected;
  expected.method = "POST";
  expected.path = r.target;
  const std::string hash = sigv4::sha256Hex(r.body);
  expected.payloadHash = hash;
  expected.headers = {{"host", "bedrock-runtime.us-west-2.amazonaws.com"},
                      {"x-amz-content-sha256", hash},
                      {"x-amz-date", "20150830T123600Z"},
                      {"x-amz-security-token", "session-token"}};
  const auto s = sigv4::sign(
      expected, {"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "session-token"},
      "us-west-2", "bedrock", "20150830T123600Z");
  EXPECT_NE(
      s.canonicalRequest.find("\n/model/anthropic.claude-3-5-sonnet-20240620-v1%253A0/converse\n"),
      std::string::npos);
  EXPECT_EQ(header(r, "Authorization"), s.authorization);
  EXPECT_TRUE(header(r, "Authorization")
                  .starts_with("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-west-2/"
                               "bedrock/aws4_request, SignedHeaders=host;x-amz-content-sha256;"
                               "x-amz-date;x-amz-security-token, Signature="));
}

TEST(BedrockSigning, RegionComesFromParamsThenEnvironmentThenHost) {
  Deployment d = bedrockDeployment();
  EXPECT_EQ(pinnedAdapter().region(d), "us-west-2");  // from the host
  const std::string hostBase = "      api_base: https://bedrock-runtime.us-west-2.amazonaws.com\n";
  EXPECT_EQ(
      pinnedAdapter().region(loadedDeployment({{"AWS_DEFAULT_REGION", "eu-central-1"}}, hostBase)),
      "eu-central-1");
  EXPECT_EQ(pinnedAdapter().region(loadedDeployment(
                {{"AWS_REGION", "ap-south-1"}, {"AWS_DEFAULT_REGION", "x"}}, hostBase)),
            "ap-south-1");
  EXPECT_EQ(pinnedAdapter().region(loadedDeployment(
                {{"AWS_REGION", "ap-south-1"}}, hostBase + "      aws_region_name: eu-west-3\n")),
            "eu-west-3");
  d.apiBase = parseUrl("http://127.0.0.1:9999").value();
  EXPECT_EQ(pinnedAdapter().region(d), "us-east-1");
  EXPECT_EQ(bedrock::runtimeUrl("eu-west-3"), "https://bedrock-runtime.eu-west-3.amazonaws.com");
}

TEST(BedrockSigning, CredentialsFromTheEnvironmentOrABearerKey) {
  UpstreamRequest r;
  r.target = "/model/x/converse";
  const Deployment fromEnv =
      loadedDeployment({{"AWS_ACCESS_KEY_ID", "AKIDENV"}, {"AWS_SECRET_ACCESS_KEY", "s"}});
  ASSERT_TRUE(pinnedAdapter().sign(fromEnv, r));
  EXPECT_TRUE(header(r, "Authorization").starts_with("AWS4-HMAC-SHA256 Credential=AKIDENV/"));
  EXPECT_EQ(header(r, "X-Amz-Security-Token"), "");

  Deployment d = loadedDeployment({});
  UpstreamRequest none;
  auto missing = pinnedAdapter().sign(d, none);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().cls, ErrorClass::kUnauthorized);

  d.apiKey = "bedrock-api-key";
  UpstreamRequest bearer;
  ASSERT_TRUE(pinnedAdapter().sign(d, bearer));
  EXPECT_EQ(header(bearer, "Authorization"), "Bearer bedrock-api-key");

  UpstreamRequest envBearer;
  ASSERT_TRUE(pinnedAdapter().sign(
      loadedDeployment({{"AWS_BEARER_TOKEN_BEDROCK", "bedrock-env-key"}}), envBearer));
  EXPECT_EQ(header(envBearer, "Authorization"), "Bearer bedrock-env-key");
}

TEST(BedrockSigning, TheAdapterNeverReadsTheProcessEnvironment) {
  // What the loader saw is what signs: a variable exported after the load changes nothing until
  // the config is loaded again.
  const Deployment d = loadedDeployment({});
  ::setenv("AWS_ACCESS_KEY_ID", "AKIDLATE", 1);
  ::setenv("AWS_SECRET_ACCESS_KEY", "late", 1);
  UpstreamRequest r;
  auto signedLate = pinnedAdapter().sign(d, r);
  ::unsetenv("AWS_ACCESS_KEY_ID");
  ::unsetenv("AWS_SECRET_ACCESS_KEY");
  ASSERT_FALSE(signedLate);
  EXPECT_EQ(signedLate.error().cls, ErrorClass::kUnauthorized);
}

}  // namespace
}  // namespace switchyard
