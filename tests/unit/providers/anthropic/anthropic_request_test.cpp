// OpenAI chat request → Anthropic Messages request, field by field.

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "api/openai/parse_request.hpp"
#include "providers/adapter.hpp"
#include "providers/anthropic/anthropic_common.hpp"
#include "providers/anthropic/anthropic_request.hpp"

namespace switchyard {
namespace {

namespace json = boost::json;

Deployment claude(std::string model = "claude-3-5-haiku-latest") {
  Deployment d;
  d.id = "claude#0";
  d.modelName = "claude";
  d.provider = "anthropic";
  d.format = WireFormat::kAnthropic;
  d.upstreamModel = std::move(model);
  d.apiBase = *parseUrl("https://api.anthropic.com");
  d.apiKey = "sk-ant-test";
  return d;
}

std::string header(const UpstreamRequest& r, std::string_view name) {
  for (const auto& [n, v] : r.headers) {
    if (n == name) return v;
  }
  return "<absent>";
}

struct Built {
  UpstreamRequest request;
  json::object body;
};

Result<Built> build(std::string_view openAiBody, const Deployment& d = claude(),
                    Endpoint endpoint = Endpoint::kChatCompletions) {
  auto req = parseOpenAiRequest(endpoint, openAiBody);
  EXPECT_TRUE(req) << openAiBody;
  if (!req) return req.error();
  auto out = adapterFor(WireFormat::kAnthropic).buildRequest(*req, d);
  if (!out) return out.error();
  return Built{*out, json::parse(out->body).as_object()};
}

Built ok(std::string_view openAiBody, const Deployment& d = claude()) {
  auto b = build(openAiBody, d);
  EXPECT_TRUE(b) << (b ? "" : b.error().message);
  return b ? *b : Built{};
}

TEST(AnthropicRequest, UrlHeadersAndRequiredFields) {
  const Built b = ok(R"({"model":"claude","messages":[{"role":"user","content":"hi"}]})");
  EXPECT_EQ(b.request.target, "/v1/messages");
  EXPECT_EQ(header(b.request, "x-api-key"), "sk-ant-test");
  EXPECT_EQ(header(b.request, "anthropic-version"), "2023-06-01");
  EXPECT_EQ(header(b.request, "Authorization"), "<absent>");
  EXPECT_EQ(b.body.at("model").as_string(), "claude-3-5-haiku-latest");
  EXPECT_EQ(b.body.at("max_tokens").as_int64(), 8192);
  EXPECT_EQ(json::serialize(b.body.at("messages")), R"([{"role":"user","content":"hi"}])");
  EXPECT_FALSE(b.body.contains("stream"));
  EXPECT_FALSE(b.body.contains("system"));
}

TEST(AnthropicRequest, ApiBaseWithOrWithoutV1) {
  auto d = claude();
  for (const auto& [base, target] : std::vector<std::pair<std::string, std::string>>{
           {"https://api.anthropic.com", "/v1/messages"},
           {"https://api.anthropic.com/v1", "/v1/messages"},
           {"https://api.anthropic.com/v1/", "/v1/messages"},
           {"http://127.0.0.1:9000/proxy", "/proxy/v1/messages"},
           {"http://127.0.0.1:9000/proxy/v1/messages?beta=true", "/proxy/v1/messages?beta=true"}}) {
    d.apiBase = *parseUrl(base);
    EXPECT_EQ(ok(R"({"model":"c","messages":[{"role":"user","content":"hi"}]})", d).request.target,
              target)
        << base;
  }
  d.extraHeaders["anthropic-beta"] = "prompt-caching-2024-07-31";
  d.apiKey.clear();
  const Built b = ok(R"({"model":"c","messages":[{"role":"user","content":"hi"}]})", d);
  EXPECT_EQ(header(b.request, "anthropic-beta"), "prompt-caching-2024-07-31");
  EXPECT_EQ(header(b.request, "x-api-key"), "<absent>");
}

TEST(AnthropicRequest, MaxTokens) {
  EXPECT_EQ(anthropic::defaultMaxTokens("claude-3-opus-20240229"), 4096);
  EXPECT_EQ(anthropic::defaultMaxTokens("claude-3-haiku-20240307"), 4096);
  EXPECT_EQ(anthropic::defaultMaxTokens("claude-3-5-sonnet-20241022"), 8192);
  EXPECT_EQ(anthropic::defaultMaxTokens("claude-3-7-sonnet-latest"), 16384);
  EXPECT_EQ(anthropic::defaultMaxTokens("claude-sonnet-4-5-20250929"), 16384);
  EXPECT_EQ(anthropic::defaultMaxTokens("claude-opus-4-1"), 16384);
  EXPECT_EQ(anthropic::defaultMaxTokens("some-future-model"), 4096);
  const std::string msgs = R"("messages":[{"role":"user","content":"hi"}])";
  EXPECT_EQ(ok(R"({"model":"c","max_tokens":100,)" + msgs + "}").body.at("max_tokens"), 100);
  EXPECT_EQ(ok(R"({"model":"c","max_completion_tokens":50,"max_tokens":100,)" + msgs + "}")
                .body.at("max_tokens"),
            50);
  EXPECT_EQ(ok(R"({"model":"c","max_tokens":null,)" + msgs + "}").body.at("max_tokens"), 8192);
  auto bad = build(R"({"model":"c","max_tokens":0,)" + msgs + "}");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().cls, ErrorClass::kBadRequest);
}

TEST(AnthropicRequest, SystemLiftedAndTurnsMerged) {
  const Built b = ok(R"({"model":"c","messages":[
    {"role":"system","content":"You are terse."},
    {"role":"user","content":"one"},
    {"role":"developer","content":[{"type":"text","text":"Answer in French."}]},
    {"role":"user","content":[{"type":"text","text":"two"}]},
    {"role":"assistant","content":"un"},
    {"role":"assistant","content":[{"type":"text","text":"deux"}]},
    {"role":"user","content":"three"}]})");
  EXPECT_EQ(
      json::serialize(b.body.at("system")),
      R"([{"type":"text","text":"You are terse."},{"type":"text","text":"Answer in French."}])");
  const auto& m = b.body.at("messages").as_array();
  ASSERT_EQ(m.size(), 3u);
  EXPECT_EQ(
      json::serialize(m[0]),
      R"({"role":"user","content":[{"type":"text","text":"one"},{"type":"text","text":"two"}]})");
  EXPECT_EQ(
      json::serialize(m[1]),
      R"({"role":"assistant","content":[{"type":"text","text":"un"},{"type":"text","text":"deux"}]})");
  EXPECT_EQ(json::serialize(m[2]), R"({"role":"user","content":"three"})");

  const Built single = ok(
      R"({"model":"c","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"hi"}]})");
  EXPECT_EQ(single.body.at("system").as_string(), "Be brief.");
}

TEST(AnthropicRequest, SamplingStopAndUser) {
  const Built b = ok(R"({"model":"c","messages":[{"role":"user","content":"hi"}],
    "temperature":0.2,"top_p":0.9,"top_k":40,"stop":"END","user":"user-42","stream":true,
    "stream_options":{"include_usage":true},"store":false,"metadata":{"a":"b"}})");
  EXPECT_EQ(b.body.at("temperature").as_double(), 0.2);
  EXPECT_EQ(b.body.at("top_p").as_double(), 0.9);
  EXPECT_EQ(b.body.at("top_k").as_int64(), 40);
  EXPECT_EQ(json::serialize(b.body.at("stop_sequences")), R"(["END"])");
  EXPECT_EQ(json::serialize(b.body.at("metadata")), R"({"user_id":"user-42"})");
  EXPECT_EQ(b.body.at("stream").as_bool(), true);
  EXPECT_FALSE(b.body.contains("stream_options"));
  EXPECT_FALSE(b.body.contains("store"));
  EXPECT_FALSE(b.body.contains("stop"));
  EXPECT_FALSE(b.body.contains("user"));

  const Built many =
      ok(R"({"model":"c","messages":[{"role":"user","content":"hi"}],"stop":["a","b"]})");
  EXPECT_EQ(json::serialize(many.body.at("stop_sequences")), R"(["a","b"])");
}

TEST(AnthropicRequest, ToolsAndToolChoice) {
  const std::string base = R"({"model":"c","messages":[{"role":"user","content":"weather?"}],
    "tools":[{"type":"function","function":{"name":"get_weather","description":"Weather now",
      "parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}},
      {"type":"function","function":{"name":"no_params"}}])";
  const Built b = ok(base + "}");
  const auto& tools = b.body.at("tools").as_array();
  ASSERT_EQ(tools.size(), 2u);
  EXPECT_EQ(
      json::serialize(tools[0]),
      R"({"name":"get_weather","description":"Weather now","input_schema":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}})");
  EXPECT_EQ(json::serialize(tools[1]),
            R"({"name":"no_params","input_schema":{"type":"object","properties":{}}})");
  EXPECT_FALSE(b.body.contains("tool_choice"));

  const std::vector<std::pair<std::string, std::string>> choices = {
      {R"("auto")", R"({"type":"auto"})"},
      {R"("none")", R"({"type":"none"})"},
      {R"("required")", R"({"type":"any"})"},
      {R"({"type":"function","function":{"name":"get_weather"}})",
       R"({"type":"tool","name":"get_weather"})"}};
  for (const auto& [openAi, anthropicChoice] : choices) {
    EXPECT_EQ(
        json::serialize(ok(base + R"(,"tool_choice":)" + openAi + "}").body.at("tool_choice")),
        anthropicChoice);
  }
  EXPECT_EQ(json::serialize(ok(base + R"(,"parallel_tool_calls":false})").body.at("tool_choice")),
            R"({"type":"auto","disable_parallel_tool_use":true})");
  EXPECT_EQ(json::serialize(ok(base + R"(,"tool_choice":"required","parallel_tool_calls":false})")
                                .body.at("tool_choice")),
            R"({"type":"any","disable_parallel_tool_use":true})");
  auto bad = build(base + R"(,"tool_choice":"sometimes"})");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().param, "tool_choice");

  // Anthropic's own tool types pass as given.
  const Built native = ok(R"({"model":"c","messages":[{"role":"user","content":"x"}],
    "tools":[{"type":"web_search_20250305","name":"web_search","max_uses":2}]})");
  EXPECT_EQ(json::serialize(native.body.at("tools")),
            R"([{"type":"web_search_20250305","name":"web_search","max_uses":2}])");
}

TEST(AnthropicRequest, ToolCallsAndResults) {
  const Built b = ok(R"({"model":"c","messages":[
    {"role":"user","content":"weather in Paris and Rome?"},
    {"role":"assistant","content":"Checking.","tool_calls":[
      {"id":"toolu_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}},
      {"id":"toolu_2","type":"function","function":{"name":"get_weather","arguments":""}}]},
    {"role":"tool","tool_call_id":"toolu_1","content":"18C"},
    {"role":"tool","tool_call_id":"toolu_2","content":[{"type":"text","text":"21C"}]},
    {"role":"user","content":"thanks"}]})");
  const auto& m = b.body.at("messages").as_array();
  ASSERT_EQ(m.size(), 3u);
  EXPECT_EQ(json::serialize(m[1]),
            R"({"role":"assistant","content":[{"type":"text","text":"Checking."},)"
            R"({"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"city":"Paris"}},)"
            R"({"type":"tool_use","id":"toolu_2","name":"get_weather","input":{}}]})");
  // Tool results merge into one user turn, before the user's next words.
  EXPECT_EQ(
      json::serialize(m[2]),
      R"({"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"18C"},)"
      R"({"type":"tool_result","tool_use_id":"toolu_2","content":[{"type":"text","text":"21C"}]},)"
      R"({"type":"text","text":"thanks"}]})");

  auto bad = build(R"({"model":"c","messages":[{"role":"user","content":"x"},
    {"role":"assistant","tool_calls":[{"id":"t","type":"function","function":{"name":"f","arguments":"{oops"}}]}]})");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().param, "messages[1].tool_calls[0].function.arguments");
  auto noId = build(R"({"model":"c","messages":[{"role":"tool","content":"x"}]})");
  ASSERT_FALSE(noId);
  EXPECT_EQ(noId.error().param, "messages[0].tool_call_id");
}

TEST(AnthropicRequest, Images) {
  const Built b = ok(R"({"model":"c","messages":[{"role":"user","content":[
    {"type":"text","text":"What is this?"},
    {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo=","detail":"low"}},
    {"type":"image_url","image_url":{"url":"https://example.com/cat.jpg"}},
    {"type":"file","file":{"file_data":"data:application/pdf;base64,JVBERi0="}}]}]})");
  const auto& content = b.body.at("messages").at(0).at("content").as_array();
  ASSERT_EQ(content.size(), 4u);
  EXPECT_EQ(
      json::serialize(content[1]),
      R"({"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}})");
  EXPECT_EQ(json::serialize(content[2]),
            R"({"type":"image","source":{"type":"url","url":"https://example.com/cat.jpg"}})");
  EXPECT_EQ(
      json::serialize(content[3]),
      R"({"type":"document","source":{"type":"base64","media_type":"application/pdf","data":"JVBERi0="}})");

  for (const char* url : {"data:image/png,notbase64", "ftp://example.com/x.png"}) {
    auto bad = build(
        std::string(
            R"({"model":"c","messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":")") +
        url + R"("}}]}]})");
    ASSERT_FALSE(bad) << url;
    EXPECT_EQ(bad.error().cls, ErrorClass::kBadRequest);
    EXPECT_EQ(bad.error().param, "messages[0].content[0].image_url");
  }
  auto audio = build(
      R"({"model":"c","messages":[{"role":"user","content":[{"type":"input_audio","input_audio":{"data":"x","format":"wav"}}]}]})");
  ASSERT_FALSE(audio);
  EXPECT_EQ(audio.error().param, "messages[0].content[0].type");
}

TEST(AnthropicRequest, CacheControlPassesThrough) {
  const Built b = ok(R"({"model":"c","messages":[
    {"role":"system","content":[{"type":"text","text":"Long manual","cache_control":{"type":"ephemeral"}}]},
    {"role":"user","content":[{"type":"text","text":"q1","cache_control":{"type":"ephemeral","ttl":"1h"}}]},
    {"role":"assistant","content":"a1"},
    {"role":"user","content":"q2","cache_control":{"type":"ephemeral"}}],
    "tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object"}},"cache_control":{"type":"ephemeral"}}]})");
  EXPECT_EQ(json::serialize(b.body.at("system")),
            R"([{"type":"text","text":"Long manual","cache_control":{"type":"ephemeral"}}])");
  const auto& m = b.body.at("messages").as_array();
  EXPECT_EQ(json::serialize(m[0].at("content")),
            R"([{"type":"text","text":"q1","cache_control":{"type":"ephemeral","ttl":"1h"}}])");
  EXPECT_EQ(json::serialize(m[2].at("content")),
            R"([{"type":"text","text":"q2","cache_control":{"type":"ephemeral"}}])");
  EXPECT_EQ(json::serialize(b.body.at("tools").at(0).at("cache_control")),
            R"({"type":"ephemeral"})");
}

TEST(AnthropicRequest, ResponseFormatForcesTheJsonTool) {
  const Built b = ok(R"({"model":"c","messages":[{"role":"user","content":"list"}],
    "response_format":{"type":"json_schema","json_schema":{"name":"x","schema":{"type":"object","properties":{"n":{"type":"integer"}}}}}})");
  EXPECT_EQ(
      json::serialize(b.body.at("tools")),
      R"([{"name":"json_tool_call","description":"Respond with a JSON object.","input_schema":{"type":"object","properties":{"n":{"type":"integer"}}}}])");
  EXPECT_EQ(json::serialize(b.body.at("tool_choice")),
            R"({"type":"tool","name":"json_tool_call"})");
  EXPECT_FALSE(b.body.contains("response_format"));

  const Built obj = ok(
      R"({"model":"c","messages":[{"role":"user","content":"x"}],"response_format":{"type":"json_object"}})");
  EXPECT_EQ(json::serialize(obj.body.at("tools").at(0).at("input_schema")),
            R"({"type":"object","additionalProperties":true})");
  const Built text = ok(
      R"({"model":"c","messages":[{"role":"user","content":"x"}],"response_format":{"type":"text"}})");
  EXPECT_FALSE(text.body.contains("tools"));
  auto bad = build(
      R"({"model":"c","messages":[{"role":"user","content":"x"}],"response_format":{"type":"json_schema"}})");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().param, "response_format.json_schema.schema");
}

TEST(AnthropicRequest, Reasoning) {
  const std::string msgs = R"("messages":[{"role":"user","content":"think"}])";
  const Built high = ok(R"({"model":"c","reasoning_effort":"high",)" + msgs + "}",
                        claude("claude-3-opus-20240229"));
  EXPECT_EQ(json::serialize(high.body.at("thinking")),
            R"({"type":"enabled","budget_tokens":4096})");
  // The default max_tokens grows so that the budget fits below it.
  EXPECT_EQ(high.body.at("max_tokens").as_int64(), 8192);
  const Built low = ok(R"({"model":"c","reasoning_effort":"low",)" + msgs + "}");
  EXPECT_EQ(low.body.at("thinking").at("budget_tokens").as_int64(), 1024);
  EXPECT_EQ(low.body.at("max_tokens").as_int64(), 8192);
  EXPECT_FALSE(
      ok(R"({"model":"c","reasoning_effort":"none",)" + msgs + "}").body.contains("thinking"));
  const Built given =
      ok(R"({"model":"c","thinking":{"type":"enabled","budget_tokens":2000},"max_tokens":5000,)" +
         msgs + "}");
  EXPECT_EQ(json::serialize(given.body.at("thinking")),
            R"({"type":"enabled","budget_tokens":2000})");
  EXPECT_EQ(given.body.at("max_tokens").as_int64(), 5000);
  auto bad = build(R"({"model":"c","reasoning_effort":"extreme",)" + msgs + "}");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().param, "reasoning_effort");

  // Signed thinking from the previous answer goes back before the tool call.
  const Built back = ok(R"({"model":"c","messages":[{"role":"user","content":"x"},
    {"role":"assistant","content":null,"thinking_blocks":[{"type":"thinking","thinking":"hmm","signature":"sig"}],
     "tool_calls":[{"id":"t1","type":"function","function":{"name":"f","arguments":"{}"}}]},
    {"role":"tool","tool_call_id":"t1","content":"done"}]})");
  EXPECT_EQ(
      json::serialize(back.body.at("messages").at(1).at("content")),
      R"([{"type":"thinking","thinking":"hmm","signature":"sig"},{"type":"tool_use","id":"t1","name":"f","input":{}}])");
}

TEST(AnthropicRequest, UnsupportedParametersAreRefusedOrDropped) {
  const std::string msgs = R"("messages":[{"role":"user","content":"hi"}])";
  for (const std::string& param : std::vector<std::string>{
           R"("seed":1)", R"("n":2)", R"("logprobs":true)", R"("presence_penalty":0.5)",
           R"("frequency_penalty":1)", R"("logit_bias":{"50256":-100})", R"("top_logprobs":3)"}) {
    auto r = build(R"({"model":"c",)" + msgs + "," + param + "}");
    ASSERT_FALSE(r) << param;
    EXPECT_EQ(r.error().cls, ErrorClass::kBadRequest);
    EXPECT_EQ(r.error().status, 400);
    EXPECT_EQ(r.error().code, "unsupported_parameter");
    const std::string name = param.substr(1, param.find('"', 1) - 1);
    EXPECT_EQ(r.error().param, name);
    EXPECT_NE(r.error().message.find(name), std::string::npos);
    EXPECT_NE(r.error().message.find("drop_params"), std::string::npos);

    auto d = claude();
    d.dropParams = true;
    const Built dropped = ok(R"({"model":"c",)" + msgs + "," + param + "}", d);
    EXPECT_FALSE(dropped.body.contains(name)) << param;
  }
  // Values that ask for nothing special are accepted.
  const Built neutral = ok(
      R"({"model":"c",)" + msgs +
      R"(,"n":1,"logprobs":false,"presence_penalty":0,"frequency_penalty":0.0,"logit_bias":{},"seed":null})");
  for (const char* k :
       {"n", "logprobs", "presence_penalty", "frequency_penalty", "logit_bias", "seed"}) {
    EXPECT_FALSE(neutral.body.contains(k)) << k;
  }
  // Parameters the adapter does not know are provider-specific and pass through.
  const Built extra = ok(R"({"model":"c",)" + msgs + R"(,"mock":{"status":529},"container":"c1"})");
  EXPECT_EQ(json::serialize(extra.body.at("mock")), R"({"status":529})");
  EXPECT_EQ(extra.body.at("container").as_string(), "c1");
}

TEST(AnthropicRequest, PrefillLosesTrailingWhitespaceAndEmptyTextIsSkipped) {
  const Built b = ok(
      R"({"model":"c","messages":[{"role":"user","content":"Say hi"},{"role":"user","content":""},
    {"role":"assistant","content":"Hi \n"}]})");
  const auto& m = b.body.at("messages").as_array();
  ASSERT_EQ(m.size(), 2u);
  EXPECT_EQ(json::serialize(m[0]), R"({"role":"user","content":"Say hi"})");
  EXPECT_EQ(json::serialize(m[1]), R"({"role":"assistant","content":"Hi"})");
}

TEST(AnthropicRequest, EmbeddingsAndCompletionsAreRefused) {
  auto r = build(R"({"model":"c","input":"hello"})", claude(), Endpoint::kEmbeddings);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().cls, ErrorClass::kBadRequest);
  EXPECT_EQ(r.error().status, 400);
  EXPECT_NE(r.error().message.find("no embeddings"), std::string::npos);
  auto c = build(R"({"model":"c","prompt":"hello"})", claude(), Endpoint::kCompletions);
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().cls, ErrorClass::kBadRequest);
}

}  // namespace
}  // namespace switchyard
