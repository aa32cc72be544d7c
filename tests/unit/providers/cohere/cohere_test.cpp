// OpenAI ⇄ Cohere Chat v2 / Embed v2: request mapping, recorded answers and streams field by
// field (streams split at random points through the SSE parser), errors.

#include <gtest/gtest.h>

#include "support/openai_chunks.hpp"

#include <boost/json.hpp>
#include <random>

#include "providers/bedrock/chunk_assembly.hpp"
#include "providers/cohere/cohere_adapter.hpp"
#include "support/fixtures.hpp"

namespace switchyard {
namespace {

namespace json = boost::json;

json::object parseObject(std::string_view s) { return json::parse(s).as_object(); }

TEST(CohereRequest, MapsAConversationFieldByField) {
  const auto body = parseObject(R"({
    "model": "command",
    "messages": [
      {"role": "system", "content": "Be terse."},
      {"role": "user", "content": [{"type": "text", "text": "Weather?"},
                                   {"type": "image_url", "image_url": {"url": "https://x/cat.png"}}]},
      {"role": "assistant", "content": "I will check.", "tool_calls": [
        {"id": "call_1", "type": "function", "function": {"name": "weather", "arguments": "{\"city\":\"Paris\"}"}}]},
      {"role": "tool", "tool_call_id": "call_1", "content": "sunny"},
      {"role": "assistant", "content": "Sunny."},
      {"role": "user", "content": "Thanks"}
    ],
    "temperature": 0.3, "top_p": 0.8, "top_k": 40, "max_tokens": 100, "stop": ["END"], "seed": 7,
    "frequency_penalty": 0.1, "presence_penalty": 0.2,
    "response_format": {"type": "json_schema", "json_schema": {"name": "x", "schema": {"type": "object"}}},
    "tools": [{"type": "function", "function": {"name": "weather", "description": "Weather",
               "parameters": {"type": "object", "properties": {"city": {"type": "string"}}}}}],
    "tool_choice": "required", "stream": true, "user": "u1"
  })");
  auto converted = cohere::toChat(body, "command-r-plus", false);
  ASSERT_TRUE(converted) << converted.error().message;
  const json::value expected = json::parse(R"({
    "model": "command-r-plus",
    "messages": [
      {"role": "system", "content": "Be terse."},
      {"role": "user", "content": [{"type": "text", "text": "Weather?"},
                                   {"type": "image_url", "image_url": {"url": "https://x/cat.png"}}]},
      {"role": "assistant", "tool_calls": [
        {"id": "call_1", "type": "function", "function": {"name": "weather", "arguments": "{\"city\":\"Paris\"}"}}],
       "tool_plan": "I will check."},
      {"role": "tool", "tool_call_id": "call_1", "content": "sunny"},
      {"role": "assistant", "content": "Sunny."},
      {"role": "user", "content": "Thanks"}
    ],
    "stream": true, "temperature": 0.3, "p": 0.8, "k": 40, "seed": 7, "frequency_penalty": 0.1,
    "presence_penalty": 0.2, "max_tokens": 100, "stop_sequences": ["END"],
    "response_format": {"type": "json_object", "json_schema": {"type": "object"}},
    "tool_choice": "REQUIRED",
    "tools": [{"type": "function", "function": {"name": "weather", "description": "Weather",
               "parameters": {"type": "object", "properties": {"city": {"type": "string"}}}}}]
  })");
  EXPECT_EQ(json::value(*converted), expected) << json::serialize(*converted);
}

TEST(CohereRequest, ToolChoiceAndUnsupportedParameters) {
  auto body = parseObject(R"({"messages":[{"role":"user","content":"hi"}],
    "tools":[{"type":"function","function":{"name":"a"}},{"type":"function","function":{"name":"b"}}],
    "tool_choice":{"type":"function","function":{"name":"b"}}})");
  auto forced = cohere::toChat(body, "command-r", false);
  ASSERT_TRUE(forced);
  EXPECT_EQ(forced->at("tool_choice").as_string(), "REQUIRED");
  ASSERT_EQ(forced->at("tools").as_array().size(), 1u);
  EXPECT_EQ(forced->at("tools").at(0).at("function").at("name").as_string(), "b");
  body["tool_choice"] = "none";
  EXPECT_EQ(cohere::toChat(body, "command-r", false)->at("tool_choice").as_string(), "NONE");
  body["tool_choice"] = "auto";
  EXPECT_FALSE(cohere::toChat(body, "command-r", false)->contains("tool_choice"));

  auto logit = parseObject(R"({"messages":[{"role":"user","content":"hi"}],"logit_bias":{"1":2}})");
  auto refused = cohere::toChat(logit, "command-r", false);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().param, "logit_bias");
  EXPECT_TRUE(cohere::toChat(logit, "command-r", true));
  auto n = parseObject(R"({"messages":[{"role":"user","content":"hi"}],"n":3})");
  EXPECT_FALSE(cohere::toChat(n, "command-r", false));
  EXPECT_FALSE(cohere::toChat(parseObject(R"({"messages":[{"role":"function","content":"x"}]})"),
                              "command-r", false));
}

TEST(CohereAdapter, TargetsAndAuth) {
  CohereAdapter adapter;
  Deployment d;
  d.upstreamModel = "command-r-plus";
  d.apiKey = "co-key";
  d.apiBase = parseUrl("https://api.cohere.com/v2").value();
  ApiRequest req;
  req.model = "cohere";
  req.editBody() = parseObject(R"({"messages":[{"role":"user","content":"hi"}]})");
  auto r = adapter.buildRequest(req, d);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->target, "/v2/chat");
  ASSERT_EQ(r->headers.size(), 1u);
  EXPECT_EQ(r->headers[0].first, "Authorization");
  EXPECT_EQ(r->headers[0].second, "Bearer co-key");
  EXPECT_EQ(r->body, R"({"model":"command-r-plus","messages":[{"role":"user","content":"hi"}]})");
  ApiRequest embed;
  embed.endpoint = Endpoint::kEmbeddings;
  embed.editBody() = parseObject(R"({"input":["a","b"],"dimensions":256})");
  d.upstreamModel = "embed-v4.0";
  d.apiBase = parseUrl("http://127.0.0.1:9000").value();
  auto e = adapter.buildRequest(embed, d);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->target, "/v2/embed");
  EXPECT_EQ(json::parse(e->body), json::parse(R"({"model":"embed-v4.0","texts":["a","b"],
    "input_type":"search_document","embedding_types":["float"],"output_dimension":256})"));
}

struct ChatCase {
  const char* file;
  const char* id;
  const char* content;  // nullptr: null
  const char* reasoning;
  std::vector<std::array<const char*, 3>> calls;
  const char* finish;
  int64_t prompt, completion;
};

class CohereChat : public ::testing::TestWithParam<ChatCase> {};

TEST_P(CohereChat, TranslatesRecordedAnswersFieldByField) {
  const auto& c = GetParam();
  Usage usage;
  auto out =
      cohere::fromChat(testing::readFixture(std::string("cohere/") + c.file), "cohere", usage);
  ASSERT_TRUE(out) << out.error().message;
  const auto root = parseObject(*out);
  EXPECT_EQ(root.at("id").as_string(), c.id);
  EXPECT_EQ(root.at("object").as_string(), "chat.completion");
  EXPECT_EQ(root.at("model").as_string(), "cohere");
  const auto& choice = root.at("choices").at(0).as_object();
  EXPECT_EQ(choice.at("finish_reason").as_string(), c.finish);
  const auto& msg = choice.at("message").as_object();
  if (c.content) {
    EXPECT_EQ(msg.at("content").as_string(), c.content);
  } else {
    EXPECT_TRUE(msg.at("content").is_null());
  }
  if (c.reasoning) {
    EXPECT_EQ(msg.at("reasoning_content").as_string(), c.reasoning);
  } else {
    EXPECT_FALSE(msg.contains("reasoning_content"));
  }
  if (c.calls.empty()) {
    EXPECT_FALSE(msg.contains("tool_calls"));
  } else {
    const auto& calls = msg.at("tool_calls").as_array();
    ASSERT_EQ(calls.size(), c.calls.size());
    for (size_t i = 0; i < calls.size(); ++i) {
      EXPECT_EQ(calls[i].at("id").as_string(), c.calls[i][0]);
      EXPECT_EQ(calls[i].at("function").at("name").as_string(), c.calls[i][1]);
      EXPECT_EQ(calls[i].at("function").at("arguments").as_string(), c.calls[i][2]);
    }
  }
  EXPECT_EQ(usage.promptTokens, c.prompt);
  EXPECT_EQ(usage.completionTokens, c.completion);
  EXPECT_EQ(usage.totalTokens, c.prompt + c.completion);
  EXPECT_EQ(root.at("usage").at("total_tokens").as_int64(), c.prompt + c.completion);
}

INSTANTIATE_TEST_SUITE_P(
    Fixtures, CohereChat,
    ::testing::Values(
        ChatCase{"cohere-text.json",
                 "e7592632-1e3d-424f-b129-bd5f9f980f7b",
                 "The capital of France is Paris.",
                 nullptr,
                 {},
                 "stop",
                 12,
                 7},
        ChatCase{"cohere-max-tokens.json",
                 "039584d9-7236-4ecb-9dd7-f1bed57888bc",
                 "**The History of",
                 nullptr,
                 {},
                 "length",
                 11,
                 4},
        ChatCase{"cohere-reasoning.json",
                 "53bcb235-5179-4a91-a578-cb372b5430bc",
                 "2 + 2 = 4",
                 "Okay, so I need to figure out what 2 + 2 is. Let me start by recalling what "
                 "addition means.",
                 {},
                 "stop",
                 8,
                 578},
        ChatCase{
            "cohere-tool-call.json",
            "f201af17-e24a-4396-8f6a-98e8bf9c3432",
            "I will use the weather tool to find out the weather in San Francisco. I will "
            "also use the cityAttractions tool to find out what attractions are in San "
            "Francisco.",
            nullptr,
            {{"weather_dqgshstja6p9", "weather", R"({"location":"San Francisco"})"},
             {"cityAttractions_dcxfx4myvx68", "cityAttractions", R"({"city":"San Francisco"})"}},
            "tool_calls",
            119,
            52},
        ChatCase{"cohere-citations.json",
                 "68475c80-574b-4c65-98a4-e81cebab5dce",
                 "The key benefits mentioned in this document are:\n1. Automation of tasks\n2. "
                 "Better decision-making\n3. Cost reduction",
                 nullptr,
                 {},
                 "stop",
                 39,
                 27}));

TEST(CohereChatErrors, ErrorFinishAndMalformedBodies) {
  Usage usage;
  auto error = cohere::fromChat(
      R"({"id":"x","message":{"role":"assistant","content":[]},"finish_reason":"ERROR"})", "m",
      usage);
  ASSERT_FALSE(error);
  EXPECT_EQ(error.error().cls, ErrorClass::kUpstreamServer);
  auto timeout = cohere::fromChat(
      R"({"id":"x","message":{"role":"assistant"},"finish_reason":"TIMEOUT"})", "m", usage);
  ASSERT_FALSE(timeout);
  EXPECT_EQ(timeout.error().cls, ErrorClass::kTimeout);
  for (std::string_view body :
       {"", "[]", R"({"id":"x"})", R"({"message":{"content":[3]},"finish_reason":"COMPLETE"})"}) {
    auto bad = cohere::fromChat(body, "m", usage);
    ASSERT_FALSE(bad) << body;
    EXPECT_EQ(bad.error().cls, ErrorClass::kBadUpstream);
  }
  EXPECT_EQ(cohere::classifyError(
                400, R"({"id":"1","message":"too many tokens: size limit exceeded"})", "")
                .cls,
            ErrorClass::kContextWindow);
  EXPECT_EQ(cohere::classifyError(401, R"({"message":"invalid api token"})", "").cls,
            ErrorClass::kUnauthorized);
  EXPECT_EQ(cohere::classifyError(498, R"({"message":"invalid api token"})", "").status, 401);
  const Error limited =
      cohere::classifyError(429, R"({"message":"You are using a Trial key"})", "3");
  EXPECT_EQ(limited.cls, ErrorClass::kRateLimited);
  EXPECT_EQ(limited.retryAfterSeconds, 3);
  EXPECT_EQ(limited.message, "Upstream returned HTTP 429: You are using a Trial key");
  EXPECT_EQ(cohere::classifyError(503, "{}", "").status, 503);
}

struct StreamCase {
  const char* file;
  const char* content;
  const char* reasoning;
  std::vector<std::array<const char*, 3>> calls;
  const char* finish;
  int64_t prompt, completion;
};

class CohereStream : public ::testing::TestWithParam<StreamCase> {};

TEST_P(CohereStream, RecordedStreamsSplitAnywhere) {
  const auto& c = GetParam();
  // Cohere frames each event with its type on the event line.
  std::string wire;
  for (const auto& line : testing::readChunks(std::string("cohere/") + c.file)) {
    const auto type = json::parse(line).at("type").as_string();
    wire += "event: " + std::string(type) + "\ndata: " + line + "\n\n";
  }
  std::mt19937 rng(5);
  for (int round = 0; round < 20; ++round) {
    const bool wantsUsage = round % 2 == 0;
    testing::OpenAiChunks<CohereStreamDecoder> t(wantsUsage, "cohere");
    std::string out;
    Usage usage;
    for (size_t at = 0; at < wire.size();) {
      const size_t n =
          std::min(std::uniform_int_distribution<size_t>(1, 60)(rng), wire.size() - at);
      auto ok = t.onBytes(std::string_view(wire).substr(at, n), out, usage);
      ASSERT_TRUE(ok) << ok.error().message;
      at += n;
    }
    EXPECT_TRUE(t.finished());
    const auto a = testing::assemble(out);
    EXPECT_TRUE(a.roleFirst);
    EXPECT_EQ(a.content, c.content);
    EXPECT_EQ(a.reasoning, c.reasoning);
    ASSERT_EQ(a.toolCalls.size(), c.calls.size());
    for (size_t i = 0; i < c.calls.size(); ++i) {
      const auto& call = a.toolCalls.at(static_cast<int64_t>(i));
      EXPECT_EQ(call.id, c.calls[i][0]);
      EXPECT_EQ(call.name, c.calls[i][1]);
      EXPECT_EQ(call.arguments, c.calls[i][2]);
    }
    EXPECT_EQ(a.finishReasons, std::vector<std::string>{c.finish});
    EXPECT_TRUE(a.done);
    EXPECT_EQ(a.usageChunks, wantsUsage ? 1 : 0);
    EXPECT_EQ(usage.promptTokens, c.prompt);
    EXPECT_EQ(usage.completionTokens, c.completion);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Fixtures, CohereStream,
    ::testing::Values(
        StreamCase{
            "cohere-text.chunks.txt", "The capital of France is Paris.", "", {}, "stop", 12, 7},
        StreamCase{"cohere-reasoning.chunks.txt",
                   "The answer to 2 + 2 is 4.",
                   "The user is asking for the sum of 2 and 2. Since this is a straightforward "
                   "arithmetic problem, I don't need to use any tools. I can calculate the answer "
                   "directly.",
                   {},
                   "stop",
                   8,
                   50},
        StreamCase{"cohere-empty-tool-call.chunks.txt",
                   "I will use the currentTime tool to find the current time.",
                   "",
                   // No arguments streamed: "{}", which clients parse ("" fails them).
                   {{"currentTime_y46ar19t5gvw", "currentTime", "{}"}},
                   "tool_calls",
                   46,
                   14}));

TEST(CohereStreamEvents, ToolArgumentDeltasAndErrorFinish) {
  testing::OpenAiChunks<CohereStreamDecoder> t(false, "cohere");
  std::string out;
  Usage usage;
  for (
      std::string_view e :
      {R"({"type":"message-start","id":"x","delta":{"message":{"role":"assistant"}}})",
       R"({"type":"tool-call-start","index":0,"delta":{"message":{"tool_calls":{"id":"c1","type":"function","function":{"name":"f","arguments":""}}}}})",
       R"({"type":"tool-call-delta","index":0,"delta":{"message":{"tool_calls":{"function":{"arguments":"{\"a\":"}}}}})",
       R"({"type":"tool-call-delta","index":0,"delta":{"message":{"tool_calls":{"function":{"arguments":"1}"}}}}})",
       R"({"type":"tool-call-end","index":0})"}) {
    ASSERT_TRUE(t.onEvent("", e, out, usage));
  }
  auto end =
      t.onEvent("", R"({"type":"message-end","delta":{"finish_reason":"ERROR"}})", out, usage);
  ASSERT_FALSE(end);
  EXPECT_EQ(end.error().cls, ErrorClass::kUpstreamServer);
  const auto a = testing::assemble(out);
  EXPECT_EQ(a.toolCalls.at(0).arguments, R"({"a":1})");
  EXPECT_FALSE(a.done);
  EXPECT_FALSE(t.onEvent("", "garbage", out, usage));
}

TEST(CohereEmbed, RecordedAnswer) {
  ApiRequest req;
  req.endpoint = Endpoint::kEmbeddings;
  req.model = "embedder";
  req.editBody() = parseObject(R"({"input":["sunny day at the beach","rainy day in the city"]})");
  Usage usage;
  auto out = cohere::fromEmbed(testing::readFixture("cohere/cohere-embedding.json"), req, usage);
  ASSERT_TRUE(out) << out.error().message;
  const auto root = parseObject(*out);
  EXPECT_EQ(root.at("object").as_string(), "list");
  EXPECT_EQ(root.at("model").as_string(), "embedder");
  const auto& data = root.at("data").as_array();
  ASSERT_EQ(data.size(), 2u);
  EXPECT_EQ(data[1].at("index").as_int64(), 1);
  EXPECT_DOUBLE_EQ(data[0].at("embedding").at(0).as_double(), 0.03302002);
  EXPECT_DOUBLE_EQ(data[1].at("embedding").at(4).as_double(), -0.010360718);
  EXPECT_EQ(root.at("usage").at("prompt_tokens").as_int64(), 10);
  EXPECT_EQ(usage.promptTokens, 10);
  EXPECT_FALSE(cohere::fromEmbed(R"({"embeddings":{"int8":[[1]]}})", req, usage));
  EXPECT_FALSE(cohere::toEmbed(parseObject(R"({"input":[]})"), "embed"));
}

}  // namespace
}  // namespace switchyard
