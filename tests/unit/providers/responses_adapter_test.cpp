// Which upstream request a Responses client's request becomes: the client's own body (the model
// spliced, routing fields cut) for a Responses-native deployment, a chat-completions body for
// every other OpenAI-format host, and the 400 of what chat cannot say for those.

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "api/openai/responses_request.hpp"
#include "providers/adapter.hpp"

namespace switchyard {
namespace {

namespace json = boost::json;

Deployment deployment(std::string provider, WireFormat format, std::string base) {
  Deployment d;
  d.provider = std::move(provider);
  d.format = format;
  d.upstreamModel = "up-model";
  d.apiBase = *parseUrl(base);
  d.apiKey = "k";
  return d;
}

ApiRequest responses(std::string_view body) {
  auto r = parseResponsesRequest(body);
  EXPECT_TRUE(r);
  return std::move(*r);
}

constexpr std::string_view kBody =
    R"({"model":"client","provider":{"order":["x"]},"input":"Hi","tools":[{"type":"web_search"}],"store":true})";

TEST(ResponsesAdapter, NativeDeploymentGetsTheClientBodyWithTheModelSpliced) {
  ApiRequest req = responses(kBody);
  const Deployment d = deployment("openai", WireFormat::kOpenAi, "https://api.example.com/v1");
  const auto& adapter = adapterFor(d.format);
  ASSERT_TRUE(req.untranslated);                    // the hosted tool...
  EXPECT_TRUE(adapter.forwardsClientBody(req, d));  // ...reaches the one upstream that runs it
  EXPECT_TRUE(adapter.answersInClientFormat(req, d));
  auto out = adapter.buildRequest(req, d);
  ASSERT_TRUE(out) << out.error().message;
  EXPECT_EQ(out->target, "/v1/responses");
  EXPECT_EQ(
      json::parse(out->body),
      json::parse(
          R"({"model":"up-model","input":"Hi","tools":[{"type":"web_search"}],"store":true})"));
  EXPECT_NE(adapter.makeStreamPassThrough(req, d), nullptr);
}

TEST(ResponsesAdapter, AzureResponsesPath) {
  ApiRequest req = responses(R"({"model":"client","input":"Hi"})");
  Deployment d = deployment("azure", WireFormat::kAzure, "https://r.openai.azure.com");
  d.apiVersion = "2024-10-21";  // too old for the Responses API: the preview version instead
  auto out = adapterFor(d.format).buildRequest(req, d);
  ASSERT_TRUE(out);
  EXPECT_EQ(out->target, "/openai/responses?api-version=2025-04-01-preview");
  d.apiVersion = "2025-05-01-preview";
  req = responses(R"({"model":"client","input":"Hi"})");
  out = adapterFor(d.format).buildRequest(req, d);
  ASSERT_TRUE(out);
  EXPECT_EQ(out->target, "/openai/responses?api-version=2025-05-01-preview");
  EXPECT_EQ(json::parse(out->body).at("model"), "up-model");
}

TEST(ResponsesAdapter, ChatOnlyHostGetsAChatBodyOrTheFieldsRefusal) {
  const Deployment d = deployment("hosted_vllm", WireFormat::kOpenAi, "http://127.0.0.1:8000/v1");
  const auto& adapter = adapterFor(d.format);
  ApiRequest hosted = responses(kBody);
  EXPECT_FALSE(adapter.forwardsClientBody(hosted, d));
  auto refused = adapter.buildRequest(hosted, d);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().param, "tools[0].type");

  ApiRequest req = responses(R"({"model":"client","input":"Hi","max_output_tokens":9})");
  EXPECT_FALSE(adapter.answersInClientFormat(req, d));
  EXPECT_EQ(adapter.makeStreamPassThrough(req, d), nullptr);  // through the events
  auto out = adapter.buildRequest(req, d);
  ASSERT_TRUE(out);
  EXPECT_EQ(out->target, "/v1/chat/completions");
  const auto body = json::parse(out->body).as_object();
  EXPECT_EQ(body.at("model"), "up-model");
  EXPECT_EQ(body.at("messages"), json::parse(R"([{"role":"user","content":"Hi"}])"));
  EXPECT_EQ(body.at("max_completion_tokens"), 9);
}

TEST(ResponsesAdapter, OtherProvidersNeverTakeTheClientBody) {
  ApiRequest req = responses(kBody);
  for (WireFormat f :
       {WireFormat::kAnthropic, WireFormat::kGemini, WireFormat::kBedrock, WireFormat::kCohere}) {
    const Deployment d = deployment("x", f, "https://h.example.com");
    EXPECT_FALSE(adapterFor(f).forwardsClientBody(req, d));
    EXPECT_FALSE(adapterFor(f).answersInClientFormat(req, d));
  }
}

}  // namespace
}  // namespace switchyard
