// OpenAI ⇄ Bedrock Converse: request mapping, whole answers over recorded fixtures, embeddings,
// error classification and the adapter's URLs.

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "providers/bedrock/bedrock_adapter.hpp"
#include "providers/common/aws_errors.hpp"
#include "support/fixtures.hpp"

namespace switchyard {
namespace {

namespace json = boost::json;

json::object parseObject(std::string_view s) { return json::parse(s).as_object(); }

constexpr std::string_view kClaude = "anthropic.claude-3-5-sonnet-20240620-v1:0";

TEST(BedrockRequest, MapsAConversationFieldByField) {
  const auto body = parseObject(R"({
    "model": "claude",
    "messages": [
      {"role": "system", "content": "Be terse."},
      {"role": "developer", "content": [{"type": "text", "text": "Use tools.", "cache_control": {"type": "ephemeral"}}]},
      {"role": "user", "content": [
        {"type": "text", "text": "Weather here?"},
        {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo="}}]},
      {"role": "assistant", "content": "Checking.", "tool_calls": [
        {"id": "call_1", "type": "function", "function": {"name": "weather", "arguments": "{\"city\":\"Paris\"}"}},
        {"id": "call_2", "type": "function", "function": {"name": "time", "arguments": ""}}]},
      {"role": "tool", "tool_call_id": "call_1", "content": "sunny"},
      {"role": "tool", "tool_call_id": "call_2", "content": [{"type": "text", "text": "noon"}]},
      {"role": "user", "content": "Thanks"}
    ],
    "max_tokens": 300, "temperature": 0.2, "top_p": 0.9, "stop": "END",
    "tools": [{"type": "function", "function": {"name": "weather", "description": "Weather in a city",
               "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}},
              {"type": "function", "function": {"name": "time"}}],
    "tool_choice": "required",
    "stream": true, "stream_options": {"include_usage": true}, "user": "u1", "mock": {"x": 1}
  })");
  auto converted = bedrock::toConverse(body, kClaude, false);
  ASSERT_TRUE(converted) << converted.error().message;
  const json::value expected = json::parse(R"({
    "messages": [
      {"role": "user", "content": [
        {"text": "Weather here?"},
        {"image": {"format": "png", "source": {"bytes": "iVBORw0KGgo="}}}]},
      {"role": "assistant", "content": [
        {"text": "Checking."},
        {"toolUse": {"toolUseId": "call_1", "name": "weather", "input": {"city": "Paris"}}},
        {"toolUse": {"toolUseId": "call_2", "name": "time", "input": {}}}]},
      {"role": "user", "content": [
        {"toolResult": {"toolUseId": "call_1", "content": [{"text": "sunny"}]}},
        {"toolResult": {"toolUseId": "call_2", "content": [{"text": "noon"}]}},
        {"text": "Thanks"}]}
    ],
    "system": [{"text": "Be terse."}, {"text": "Use tools."}, {"cachePoint": {"type": "default"}}],
    "inferenceConfig": {"maxTokens": 300, "temperature": 0.2, "topP": 0.9, "stopSequences": ["END"]},
    "toolConfig": {
      "tools": [
        {"toolSpec": {"name": "weather", "description": "Weather in a city", "inputSchema": {"json":
          {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}}},
        {"toolSpec": {"name": "time", "inputSchema": {"json": {"type": "object", "properties": {}}}}}],
      "toolChoice": {"any": {}}}
  })");
  EXPECT_EQ(json::value(*converted), expected) << json::serialize(*converted);
}

TEST(BedrockRequest, ToolChoiceForms) {
  auto withChoice = [](std::string_view choice) {
    auto body = parseObject(R"({"messages":[{"role":"user","content":"hi"}],
      "tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object"}}}]})");
    body["tool_choice"] = json::parse(choice);
    return bedrock::toConverse(body, kClaude, false);
  };
  EXPECT_EQ(json::serialize((*withChoice(R"("auto")"))["toolConfig"].at("toolChoice")),
            R"({"auto":{}})");
  EXPECT_EQ(json::serialize(
                (*withChoice(R"({"type":"function","function":{"name":"f"}})"))["toolConfig"].at(
                    "toolChoice")),
            R"({"tool":{"name":"f"}})");
  EXPECT_FALSE(withChoice(R"("none")")->contains("toolConfig"));
  EXPECT_FALSE((*withChoice(R"("auto")"))["toolConfig"].as_object().contains("none"));
}

TEST(BedrockRequest, ReasoningEffortBecomesAClaudeThinkingBudget) {
  auto body = parseObject(
      R"({"messages":[{"role":"user","content":"hi"}],"reasoning_effort":"medium","top_k":5})");
  auto converted = bedrock::toConverse(body, "us.anthropic.claude-3-7-sonnet-20250219-v1:0", false);
  ASSERT_TRUE(converted);
  EXPECT_EQ(json::serialize(converted->at("additionalModelRequestFields")),
            R"({"top_k":5,"thinking":{"type":"enabled","budget_tokens":2048}})");
  auto other = bedrock::toConverse(body, "amazon.nova-pro-v1:0", false);
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().param, "reasoning_effort");
  EXPECT_TRUE(bedrock::toConverse(body, "amazon.nova-pro-v1:0", true));
}

TEST(BedrockRequest, UnsupportedParametersAreRefusedUnlessDropped) {
  for (std::string_view param :
       {R"("frequency_penalty":0.5)", R"("seed":7)", R"("n":2)",
        R"("response_format":{"type":"json_object"})", R"("logprobs":true)"}) {
    auto body = parseObject(std::string(R"({"messages":[{"role":"user","content":"hi"}],)") +
                            std::string(param) + "}");
    auto refused = bedrock::toConverse(body, kClaude, false);
    ASSERT_FALSE(refused) << param;
    EXPECT_EQ(refused.error().cls, ErrorClass::kBadRequest);
    EXPECT_NE(refused.error().message.find("drop_params"), std::string::npos);
    auto dropped = bedrock::toConverse(body, kClaude, true);
    ASSERT_TRUE(dropped) << param;
    EXPECT_FALSE(dropped->contains("frequency_penalty"));
  }
  // Values that ask for nothing are not refused.
  auto harmless =
      parseObject(R"({"messages":[{"role":"user","content":"hi"}],"n":1,"logprobs":false,
                                  "response_format":{"type":"text"}})");
  EXPECT_TRUE(bedrock::toConverse(harmless, kClaude, false));
}

TEST(BedrockRequest, RejectsWhatConverseCannotCarry) {
  auto urlImage = parseObject(R"({"messages":[{"role":"user","content":[
    {"type":"image_url","image_url":{"url":"https://example.com/cat.png"}}]}]})");
  EXPECT_FALSE(bedrock::toConverse(urlImage, kClaude, false));
  auto badArgs = parseObject(R"({"messages":[{"role":"user","content":"x"},{"role":"assistant",
    "tool_calls":[{"id":"1","type":"function","function":{"name":"f","arguments":"not json"}}]}]})");
  EXPECT_FALSE(bedrock::toConverse(badArgs, kClaude, false));
  EXPECT_FALSE(bedrock::toConverse(parseObject(R"({"messages":[]})"), kClaude, false));
  EXPECT_FALSE(bedrock::toConverse(parseObject(R"({"messages":[{"role":"system","content":"x"}]})"),
                                   kClaude, false));
}

TEST(BedrockAdapter, TargetsConverseStreamAndInvokeUnderTheApiBasePath) {
  BedrockAdapter adapter;
  Deployment d;
  d.upstreamModel = "converse/anthropic.claude-3-5-sonnet-20240620-v1:0";
  d.apiBase = parseUrl("http://127.0.0.1:8080/bedrock").value();
  ApiRequest req;
  req.model = "claude";
  req.editBody() = parseObject(R"({"model":"claude","messages":[{"role":"user","content":"hi"}]})");
  auto r = adapter.buildRequest(req, d);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->target, "/bedrock/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse");
  EXPECT_EQ(r->body, R"({"messages":[{"role":"user","content":[{"text":"hi"}]}]})");
  req.stream = true;
  EXPECT_EQ(adapter.buildRequest(req, d)->target,
            "/bedrock/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse-stream");
  ApiRequest embed;
  embed.endpoint = Endpoint::kEmbeddings;
  embed.editBody() = parseObject(R"({"input":"hello","dimensions":256})");
  d.upstreamModel = "amazon.titan-embed-text-v2:0";
  auto e = adapter.buildRequest(embed, d);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->target, "/bedrock/model/amazon.titan-embed-text-v2%3A0/invoke");
  EXPECT_EQ(e->body, R"({"inputText":"hello","dimensions":256})");
  ApiRequest completion;
  completion.endpoint = Endpoint::kCompletions;
  EXPECT_FALSE(adapter.buildRequest(completion, d));
}

struct ResponseCase {
  const char* file;
  const char* content;  // nullptr: JSON null
  const char* reasoning;
  std::vector<std::array<const char*, 3>> calls;  // id, name, arguments
  const char* finish;
  int64_t prompt, completion;
};

class BedrockResponse : public ::testing::TestWithParam<ResponseCase> {};

TEST_P(BedrockResponse, TranslatesRecordedAnswersFieldByField) {
  const auto& c = GetParam();
  Usage usage;
  auto out = bedrock::fromConverse(testing::readFixture(std::string("amazon-bedrock/") + c.file),
                                   "claude", usage);
  ASSERT_TRUE(out) << out.error().message;
  const auto root = parseObject(*out);
  EXPECT_EQ(root.at("object").as_string(), "chat.completion");
  EXPECT_TRUE(root.at("id").as_string().starts_with("chatcmpl-"));
  EXPECT_EQ(root.at("model").as_string(), "claude");
  const auto& choice = root.at("choices").as_array().at(0).as_object();
  EXPECT_EQ(choice.at("finish_reason").as_string(), c.finish);
  const auto& msg = choice.at("message").as_object();
  EXPECT_EQ(msg.at("role").as_string(), "assistant");
  if (c.content) {
    EXPECT_EQ(msg.at("content").as_string(), c.content);
  } else {
    EXPECT_TRUE(msg.at("content").is_null());
  }
  if (c.reasoning) {
    EXPECT_EQ(msg.at("reasoning_content").as_string(), c.reasoning);
    const auto& block = msg.at("thinking_blocks").as_array().at(0).as_object();
    EXPECT_EQ(block.at("type").as_string(), "thinking");
    EXPECT_TRUE(block.at("signature").as_string().starts_with("EvYBCkgICxAB"));
  } else {
    EXPECT_FALSE(msg.contains("reasoning_content"));
  }
  if (c.calls.empty()) {
    EXPECT_FALSE(msg.contains("tool_calls"));
  } else {
    const auto& calls = msg.at("tool_calls").as_array();
    ASSERT_EQ(calls.size(), c.calls.size());
    for (size_t i = 0; i < calls.size(); ++i) {
      const auto& call = calls[i].as_object();
      EXPECT_EQ(call.at("id").as_string(), c.calls[i][0]);
      EXPECT_EQ(call.at("type").as_string(), "function");
      EXPECT_EQ(call.at("function").at("name").as_string(), c.calls[i][1]);
      EXPECT_EQ(call.at("function").at("arguments").as_string(), c.calls[i][2]);
    }
  }
  EXPECT_TRUE(usage.present);
  EXPECT_EQ(usage.promptTokens, c.prompt);
  EXPECT_EQ(usage.completionTokens, c.completion);
  EXPECT_EQ(usage.totalTokens, c.prompt + c.completion);
  EXPECT_EQ(root.at("usage").at("prompt_tokens").as_int64(), c.prompt);
  EXPECT_EQ(root.at("usage").at("completion_tokens").as_int64(), c.completion);
  EXPECT_EQ(root.at("usage").at("total_tokens").as_int64(), c.prompt + c.completion);
  EXPECT_EQ(root.at("usage").at("prompt_tokens_details").at("cached_tokens").as_int64(), 0);
}

INSTANTIATE_TEST_SUITE_P(
    Fixtures, BedrockResponse,
    ::testing::Values(
        ResponseCase{"amazon-bedrock-text.json",
                     "Let me count the \"r\"s in \"strawberry\":\n\ns-t-**r**-a-w-b-e-**r**-**r**-y"
                     "\n\nThere are **3** \"r\"s in \"strawberry.\"",
                     nullptr,
                     {},
                     "stop",
                     22,
                     57},
        ResponseCase{
            "amazon-bedrock-reasoning.json",
            "There are **3** r's in \"strawberry\":\n\n1. st**r**awbe**r****r**y",
            "Let me count the r's in \"strawberry\":\n\ns-t-r-a-w-b-e-r-r-y\n\nThere are 3 r's.",
            {},
            "stop",
            51,
            78},
        ResponseCase{"amazon-bedrock-tool-call.1.json",
                     nullptr,
                     nullptr,
                     {{"tool-use-id", "bash", R"({"command":"ls -l"})"}},
                     "tool_calls",
                     10,
                     20},
        ResponseCase{"amazon-bedrock-tool-no-args.json",
                     "I'll update the issue list for you.",
                     nullptr,
                     {{"tool-use-id", "updateIssueList", "{}"}},
                     "tool_calls",
                     100,
                     25},
        ResponseCase{"amazon-bedrock-json-tool-with-answer.1.json",
                     "2 + 2 equals 4.",
                     nullptr,
                     {{"json-tool-id-123", "json", R"({"firstName":"John","lastName":"Doe"})"}},
                     "tool_calls",
                     156,
                     35}));

TEST(BedrockResponseUsage, CacheReadsAndWritesCountAsPromptTokens) {
  Usage usage;
  auto out =
      bedrock::fromConverse(R"({"output":{"message":{"role":"assistant","content":[{"text":"ok"}]}},
    "stopReason":"max_tokens","usage":{"inputTokens":10,"outputTokens":3,"totalTokens":118,
    "cacheReadInputTokens":100,"cacheWriteInputTokens":5}})",
                            "m", usage);
  ASSERT_TRUE(out);
  EXPECT_EQ(usage.promptTokens, 115);
  EXPECT_EQ(usage.cachedPromptTokens, 100);
  EXPECT_EQ(usage.cacheWriteTokens, 5);
  EXPECT_EQ(usage.totalTokens, 118);
  const auto root = parseObject(*out);
  EXPECT_EQ(root.at("choices").at(0).at("finish_reason").as_string(), "length");
  EXPECT_EQ(root.at("usage").at("prompt_tokens_details").at("cached_tokens").as_int64(), 100);
}

TEST(BedrockResponseUsage, StopReasons) {
  EXPECT_EQ(bedrock::finishReason("end_turn"), "stop");
  EXPECT_EQ(bedrock::finishReason("stop_sequence"), "stop");
  EXPECT_EQ(bedrock::finishReason("max_tokens"), "length");
  EXPECT_EQ(bedrock::finishReason("tool_use"), "tool_calls");
  EXPECT_EQ(bedrock::finishReason("guardrail_intervened"), "content_filter");
  EXPECT_EQ(bedrock::finishReason("content_filtered"), "content_filter");
}

TEST(BedrockResponseUsage, MalformedAnswersAreBadUpstream) {
  Usage usage;
  for (std::string_view body :
       {"", "not json", "[]", R"({"output":{}})", R"({"output":{"message":{"content":[1]}}})"}) {
    auto out = bedrock::fromConverse(body, "m", usage);
    ASSERT_FALSE(out) << body;
    EXPECT_EQ(out.error().cls, ErrorClass::kBadUpstream);
  }
}

TEST(BedrockEmbeddings, TitanAndCohereRequestsAndAnswers) {
  auto titan = bedrock::toEmbedRequest(parseObject(R"({"input":["one"],"dimensions":512})"),
                                       "amazon.titan-embed-text-v2:0", false);
  ASSERT_TRUE(titan);
  EXPECT_EQ(json::serialize(*titan), R"({"inputText":"one","dimensions":512})");
  EXPECT_FALSE(bedrock::toEmbedRequest(parseObject(R"({"input":["a","b"]})"),
                                       "amazon.titan-embed-text-v2:0", false));
  auto cohere = bedrock::toEmbedRequest(parseObject(R"({"input":["a","b"]})"),
                                        "cohere.embed-english-v3", false);
  ASSERT_TRUE(cohere);
  EXPECT_EQ(json::serialize(*cohere), R"({"texts":["a","b"],"input_type":"search_document"})");
  auto query = bedrock::toEmbedRequest(parseObject(R"({"input":"q","input_type":"search_query"})"),
                                       "cohere.embed-multilingual-v3", false);
  EXPECT_EQ(query->at("input_type").as_string(), "search_query");
  EXPECT_FALSE(bedrock::toEmbedRequest(parseObject(R"({"input":[[1,2]]})"),
                                       "cohere.embed-english-v3", false));
  EXPECT_FALSE(bedrock::toEmbedRequest(parseObject(R"({"input":"x"})"), "meta.llama3", false));

  ApiRequest req;
  req.endpoint = Endpoint::kEmbeddings;
  req.model = "titan";
  req.editBody() = parseObject(R"({"input":"one"})");
  Usage usage;
  auto out = bedrock::fromEmbedResponse(R"({"embedding":[0.5,-0.25],"inputTextTokenCount":3})", req,
                                        usage);
  ASSERT_TRUE(out);
  EXPECT_EQ(json::parse(*out),
            json::parse(R"({"object":"list","data":[{"object":"embedding","index":0,
    "embedding":[0.5,-0.25]}],"model":"titan","usage":{"prompt_tokens":3,"total_tokens":3}})"));
  EXPECT_EQ(usage.promptTokens, 3);

  req.editBody() = parseObject(R"({"input":["a","b"],"encoding_format":"base64"})");
  out = bedrock::fromEmbedResponse(
      R"({"embeddings":[[1.0],[0.5]],"id":"x","response_type":"embeddings_floats"})", req, usage);
  ASSERT_TRUE(out);
  const auto list = parseObject(*out);
  // 1.0f is 00 00 80 3f little-endian, 0.5f is 00 00 00 3f.
  EXPECT_EQ(list.at("data").at(0).at("embedding").as_string(), "AACAPw==");
  EXPECT_EQ(list.at("data").at(1).at("embedding").as_string(), "AAAAPw==");
  EXPECT_EQ(list.at("data").at(1).at("index").as_int64(), 1);
  EXPECT_FALSE(bedrock::fromEmbedResponse(R"({"embeddings":"x"})", req, usage));
}

struct ErrorCase {
  int status;
  const char* body;
  ErrorClass cls;
  int clientStatus;
};

TEST(BedrockErrors, ClassifiesStatusAndMessage) {
  const std::vector<ErrorCase> cases = {
      {400, R"({"message":"Input is too long for requested model."})", ErrorClass::kContextWindow,
       400},
      {400, R"({"message":"Malformed input request: #: extraneous key [foo]"})",
       ErrorClass::kBadRequest, 400},
      {403, R"({"message":"The security token included in the request is invalid."})",
       ErrorClass::kUnauthorized, 401},
      {403, R"({"message":"You don't have access to the model with the specified model ID."})",
       ErrorClass::kForbidden, 403},
      {404,
       R"({"message":"Could not resolve the foundation model from the provided model identifier."})",
       ErrorClass::kNotFound, 404},
      {408, R"({"message":"Model has timed out in processing the request."})", ErrorClass::kTimeout,
       408},
      {424, R"({"message":"Model error"})", ErrorClass::kUpstreamServer, 502},
      {429, R"({"Message":"Too many requests, please wait before trying again."})",
       ErrorClass::kRateLimited, 429},
      {429, R"({"message":"Too many tokens, please wait before trying again."})",
       ErrorClass::kRateLimited, 429},
      {500, R"({"message":"internal"})", ErrorClass::kUpstreamServer, 502},
      {503, R"({"message":"Bedrock is unable to process your request."})",
       ErrorClass::kUpstreamServer, 503},
  };
  for (const auto& c : cases) {
    const Error e = aws::classifyError(c.status, c.body, "");
    EXPECT_EQ(e.cls, c.cls) << c.body;
    EXPECT_EQ(e.status, c.clientStatus) << c.body;
    const std::string message =
        json::parse(c.body).as_object().begin()->value().as_string().c_str();
    EXPECT_NE(e.message.find(message), std::string::npos) << e.message;
  }
  EXPECT_EQ(aws::classifyError(429, "{}", "7").retryAfterSeconds, 7);
  EXPECT_EQ(aws::classifyError(502, "<html>", "").message, "Upstream returned HTTP 502: <html>");
}

}  // namespace
}  // namespace switchyard
