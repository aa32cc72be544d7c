#include "providers/openai/openai_adapter.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "api/openai/parse_request.hpp"
#include "providers/azure/azure_adapter.hpp"
#include "support/fixtures.hpp"

namespace switchyard {
namespace {

namespace json = boost::json;

Deployment openAiDeployment() {
  Deployment d;
  d.id = "gpt#0";
  d.modelName = "gpt";
  d.provider = "openai";
  d.upstreamModel = "gpt-4o-mini-2024-07-18";
  d.apiBase = *parseUrl("https://api.example.com/v1");
  d.apiKey = "sk-upstream";
  d.extraHeaders["OpenAI-Organization"] = "org-1";
  return d;
}

// As the proxy does: the request keeps the client's text (here a literal, which outlives it).
ApiRequest chat(std::string_view body) {
  auto r = parseOpenAiRequest(Endpoint::kChatCompletions, body);
  EXPECT_TRUE(r);
  return std::move(*r);
}

std::string header(const UpstreamRequest& r, std::string_view name) {
  for (const auto& [n, v] : r.headers) {
    if (n == name) return v;
  }
  return "<absent>";
}

TEST(OpenAiAdapter, RewritesModelAndAddsKey) {
  auto req = chat(R"({"model":"gpt","messages":[{"role":"user","content":"hi"}],"seed":3})");
  auto out = adapterFor(WireFormat::kOpenAi).buildRequest(req, openAiDeployment());
  ASSERT_TRUE(out);
  EXPECT_EQ(out->target, "/v1/chat/completions");
  EXPECT_EQ(header(*out, "Authorization"), "Bearer sk-upstream");
  EXPECT_EQ(header(*out, "OpenAI-Organization"), "org-1");
  auto body = json::parse(out->body).as_object();
  EXPECT_EQ(body.at("model").as_string(), "gpt-4o-mini-2024-07-18");
  EXPECT_EQ(body.at("seed").as_int64(), 3);
  EXPECT_FALSE(body.contains("stream_options"));
}

TEST(OpenAiAdapter, ForwardsTheClientsBytesWithOnlyTheModelReplaced) {
  auto req = chat(R"( {"messages": [{"role":"user","content":"the \"model\": x"}],
    "model" : "gpt",  "temperature":0.50, "n":1 })");
  auto out = adapterFor(WireFormat::kOpenAi).buildRequest(req, openAiDeployment());
  ASSERT_TRUE(out);
  EXPECT_EQ(out->body, R"( {"messages": [{"role":"user","content":"the \"model\": x"}],
    "model" : "gpt-4o-mini-2024-07-18",  "temperature":0.50, "n":1 })");
  // A second deployment (a retry or fallback) starts from the client's text again.
  auto d = openAiDeployment();
  d.upstreamModel = R"(odd"name)";
  out = adapterFor(WireFormat::kOpenAi).buildRequest(req, d);
  ASSERT_TRUE(out);
  EXPECT_EQ(json::parse(out->body).at("model").as_string(), R"(odd"name)");
  EXPECT_EQ(json::parse(out->body).at("temperature").as_double(), 0.5);
}

TEST(OpenAiAdapter, SerializesTheParsedBodyWhenTheTextCannotBeSpliced) {
  // Duplicate keys: the parser kept one, and only the tree says which.
  auto dup = chat(R"({"model":"gpt","messages":[{"role":"user","content":"hi"}],"model":"gpt"})");
  auto out = adapterFor(WireFormat::kOpenAi).buildRequest(dup, openAiDeployment());
  ASSERT_TRUE(out);
  EXPECT_EQ(out->body.find("\"gpt\""), std::string::npos);
  EXPECT_EQ(json::parse(out->body).at("model").as_string(), "gpt-4o-mini-2024-07-18");
  EXPECT_TRUE(dup.rawBody.empty());  // the tree was edited: the text no longer matches it

  // Edited before the adapter saw it: the edit must reach the upstream.
  auto edited = chat(R"({"model":"gpt","messages":[{"role":"user","content":"hi"}],"seed":1})");
  edited.editBody().erase("seed");
  out = adapterFor(WireFormat::kOpenAi).buildRequest(edited, openAiDeployment());
  ASSERT_TRUE(out);
  EXPECT_FALSE(json::parse(out->body).as_object().contains("seed"));
}

TEST(OpenAiAdapter, AsksForStreamUsageEvenWhenTheClientDidNot) {
  auto req = chat(R"({"model":"gpt","messages":[{"role":"user","content":"hi"}],"stream":true})");
  auto out = adapterFor(WireFormat::kOpenAi).buildRequest(req, openAiDeployment());
  ASSERT_TRUE(out);
  auto body = json::parse(out->body).as_object();
  EXPECT_TRUE(body.at("stream_options").at("include_usage").as_bool());
  EXPECT_FALSE(req.clientWantsUsage);
}

TEST(OpenAiAdapter, LeavesStreamOptionsAloneForHostsThatRejectThem) {
  auto req = chat(
      R"({"model":"gpt","messages":[{"role":"user","content":"hi"}],"stream":true,"stream_options":{"include_usage":true}})");
  auto d = openAiDeployment();
  d.streamUsage = false;
  auto out = adapterFor(WireFormat::kOpenAi).buildRequest(req, d);
  ASSERT_TRUE(out);
  EXPECT_FALSE(json::parse(out->body).as_object().contains("stream_options"));
}

TEST(OpenAiAdapter, KeyLessLocalServersGetNoAuthorization) {
  auto req = chat(R"({"model":"gpt","messages":[{"role":"user","content":"hi"}]})");
  auto d = openAiDeployment();
  d.apiKey.clear();
  d.apiBase = *parseUrl("http://127.0.0.1:11434/v1");
  auto out = adapterFor(WireFormat::kOpenAi).buildRequest(req, d);
  ASSERT_TRUE(out);
  EXPECT_EQ(header(*out, "Authorization"), "<absent>");
}

TEST(AzureAdapter, UsesDeploymentUrlApiVersionAndApiKeyHeader) {
  auto req = chat(R"({"model":"gpt","messages":[{"role":"user","content":"hi"}]})");
  Deployment d = openAiDeployment();
  d.provider = "azure";
  d.format = WireFormat::kAzure;
  d.upstreamModel = "my deployment";
  d.apiBase = *parseUrl("https://example-resource.openai.azure.com");
  d.apiVersion = "2024-10-21";
  auto out = adapterFor(WireFormat::kAzure).buildRequest(req, d);
  ASSERT_TRUE(out);
  EXPECT_EQ(out->target,
            "/openai/deployments/my%20deployment/chat/completions?api-version=2024-10-21");
  EXPECT_EQ(header(*out, "api-key"), "sk-upstream");
  EXPECT_EQ(header(*out, "Authorization"), "<absent>");
}

TEST(AzureAdapter, AsksForStreamUsageOnlyFromVersionsThatKnowIt) {
  Deployment d = openAiDeployment();
  d.format = WireFormat::kAzure;
  for (const auto& [version, expected] :
       std::vector<std::pair<std::string, bool>>{{"2024-10-21", true},
                                                 {"2024-09-01-preview", true},
                                                 {"", true},
                                                 {"2024-02-01", false},
                                                 {"2023-05-15", false}}) {
    auto req = chat(
        R"({"model":"gpt","messages":[{"role":"user","content":"hi"}],"stream":true,"stream_options":{"include_usage":true}})");
    d.apiVersion = version;
    auto out = adapterFor(WireFormat::kAzure).buildRequest(req, d);
    ASSERT_TRUE(out);
    EXPECT_EQ(json::parse(out->body).as_object().contains("stream_options"), expected) << version;
  }
}

TEST(AzureAdapter, EmbeddingsUseTheSameDeploymentLayout) {
  auto r = parseOpenAiRequest(Endpoint::kEmbeddings, R"({"model":"e","input":"x"})");
  ASSERT_TRUE(r);
  Deployment d = openAiDeployment();
  d.format = WireFormat::kAzure;
  d.upstreamModel = "emb";
  d.apiBase = *parseUrl("https://r.openai.azure.com/");
  auto out = adapterFor(WireFormat::kAzure).buildRequest(*r, d);
  ASSERT_TRUE(out);
  EXPECT_EQ(out->target, "/openai/deployments/emb/embeddings?api-version=2024-10-21");
}

struct UsageCase {
  const char* file;
  int64_t prompt;
  int64_t completion;
  int64_t cached;
  int64_t reasoning;
};

class OpenAiResponseUsage : public ::testing::TestWithParam<UsageCase> {};

TEST_P(OpenAiResponseUsage, IsReadFromRecordedResponses) {
  const auto& c = GetParam();
  const std::string body = testing::readFixture(c.file);
  ASSERT_FALSE(body.empty()) << c.file;
  ApiRequest req;
  Usage usage;
  auto out = adapterFor(WireFormat::kOpenAi).translateResponse(req, body, usage);
  ASSERT_TRUE(out);
  EXPECT_EQ(*out, body);  // forwarded byte for byte
  EXPECT_TRUE(usage.present);
  EXPECT_EQ(usage.promptTokens, c.prompt);
  EXPECT_EQ(usage.completionTokens, c.completion);
  EXPECT_EQ(usage.cachedPromptTokens, c.cached);
  EXPECT_EQ(usage.reasoningTokens, c.reasoning);
}

INSTANTIATE_TEST_SUITE_P(
    Fixtures, OpenAiResponseUsage,
    ::testing::Values(UsageCase{"openai/groq-text.json", 45, 607, 0, 0},
                      UsageCase{"openai/deepseek-text.json", 13, 300, 0, 0},
                      UsageCase{"openai-compatible/deepseek-reasoning.json", 18, 345, 0, 315},
                      UsageCase{"openai-compatible/mistral-text.json", 13, 434, 0, 0},
                      UsageCase{"openai-compatible/xai-tool-call.json", 307, 26, 244, 255}));

TEST(OpenAiAdapter, RejectsNonJsonSuccessBodies) {
  ApiRequest req;
  Usage usage;
  auto out = adapterFor(WireFormat::kOpenAi).translateResponse(req, "<html>oops</html>", usage);
  ASSERT_FALSE(out);
  EXPECT_EQ(out.error().cls, ErrorClass::kBadUpstream);
  EXPECT_EQ(out.error().status, 502);
}

}  // namespace
}  // namespace switchyard
