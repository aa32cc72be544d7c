// Anthropic Messages answers (tests/fixtures/anthropic) → OpenAI chat.completion, and Anthropic
// errors → the gateway's error classes.

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "api/openai/parse_request.hpp"
#include "providers/adapter.hpp"
#include "providers/anthropic/anthropic_common.hpp"
#include "support/fixtures.hpp"

namespace switchyard {
namespace {

namespace json = boost::json;

const ProviderAdapter& adapter() { return adapterFor(WireFormat::kAnthropic); }

ApiRequest chat(
    std::string_view body = R"({"model":"c","messages":[{"role":"user","content":"hi"}]})") {
  auto r = parseOpenAiRequest(Endpoint::kChatCompletions, body);
  EXPECT_TRUE(r);
  return std::move(*r);
}

struct Translated {
  json::object completion;
  json::object message;
  Usage usage;
};

Translated translate(const std::string& body, const ApiRequest& req = chat()) {
  Translated t;
  auto out = adapter().translateResponse(req, body, t.usage);
  EXPECT_TRUE(out) << (out ? "" : out.error().message);
  if (!out) return t;
  t.completion = json::parse(*out).as_object();
  EXPECT_EQ(t.completion.at("object").as_string(), "chat.completion");
  const auto& choices = t.completion.at("choices").as_array();
  EXPECT_EQ(choices.size(), 1u);
  EXPECT_EQ(choices[0].at("index").as_int64(), 0);
  t.message = choices[0].at("message").as_object();
  EXPECT_EQ(t.message.at("role").as_string(), "assistant");
  return t;
}

std::string finishReason(const Translated& t) {
  const auto& f = t.completion.at("choices").at(0).at("finish_reason");
  return f.is_string() ? std::string(f.as_string()) : "<null>";
}

TEST(AnthropicResponse, Text) {
  const Translated t = translate(testing::readFixture("anthropic/anthropic-text.json"));
  EXPECT_EQ(t.completion.at("id").as_string(), "msg_01VdEjxAP5ahtHKrrRdNBteQ");
  EXPECT_EQ(t.completion.at("model").as_string(), "claude-sonnet-4-5-20250929");
  EXPECT_GT(t.completion.at("created").as_int64(), 1700000000);
  EXPECT_EQ(t.message.at("content").as_string(),
            "Hello! I'm doing well, thanks for asking. How are you doing today? Is there anything "
            "I can help you with?");
  EXPECT_FALSE(t.message.contains("tool_calls"));
  EXPECT_FALSE(t.message.contains("reasoning_content"));
  EXPECT_EQ(finishReason(t), "stop");
  const auto& u = t.completion.at("usage").as_object();
  EXPECT_EQ(u.at("prompt_tokens").as_int64(), 12);
  EXPECT_EQ(u.at("completion_tokens").as_int64(), 29);
  EXPECT_EQ(u.at("total_tokens").as_int64(), 41);
  EXPECT_EQ(u.at("prompt_tokens_details").at("cached_tokens").as_int64(), 0);
  EXPECT_TRUE(t.usage.present);
  EXPECT_EQ(t.usage.promptTokens, 12);
  EXPECT_EQ(t.usage.completionTokens, 29);
  EXPECT_EQ(t.usage.totalTokens, 41);
}

TEST(AnthropicResponse, ToolCall) {
  const Translated t = translate(testing::readFixture("anthropic/anthropic-tool-no-args.json"));
  EXPECT_TRUE(
      t.message.at("content").as_string().ends_with("Okay, I will update the current issue list:"));
  const auto& calls = t.message.at("tool_calls").as_array();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].at("id").as_string(), "toolu_01LRmxn9vGM1d2DZSDBowdZ1");
  EXPECT_EQ(calls[0].at("type").as_string(), "function");
  EXPECT_EQ(calls[0].at("function").at("name").as_string(), "updateIssueList");
  EXPECT_EQ(calls[0].at("function").at("arguments").as_string(), "{}");
  EXPECT_EQ(finishReason(t), "tool_calls");
  EXPECT_EQ(t.usage.promptTokens, 602);
  EXPECT_EQ(t.usage.completionTokens, 93);
}

TEST(AnthropicResponse, ToolArgumentsAreAJsonString) {
  const Translated t = translate(testing::readFixture("anthropic/anthropic-json-tool.1.json"));
  EXPECT_TRUE(t.message.at("content").is_null());
  const auto& call = t.message.at("tool_calls").at(0);
  EXPECT_EQ(call.at("function").at("name").as_string(), "json");
  const auto args = json::parse(call.at("function").at("arguments").as_string());
  EXPECT_EQ(args.at("elements").as_array().size(), 4u);
  EXPECT_EQ(args.at("elements").at(0).at("temperature").as_int64(), -5);
  EXPECT_EQ(finishReason(t), "tool_calls");
}

TEST(AnthropicResponse, JsonToolAnswersAsContent) {
  std::string body = testing::readFixture("anthropic/anthropic-json-tool.1.json");
  const std::string from = R"("name": "json")";
  body.replace(body.find(from), from.size(),
               "\"name\": \"" + std::string(anthropic::kJsonToolName) + "\"");
  const ApiRequest req = chat(
      R"({"model":"c","messages":[{"role":"user","content":"hi"}],"response_format":{"type":"json_object"}})");
  const Translated t = translate(body, req);
  EXPECT_FALSE(t.message.contains("tool_calls"));
  const auto content = json::parse(t.message.at("content").as_string());
  EXPECT_EQ(content.at("elements").as_array().size(), 4u);
  EXPECT_EQ(content.at("elements").at(1).at("location").as_string(), "London");
  EXPECT_EQ(finishReason(t), "stop");
}

TEST(AnthropicResponse, Refusal) {
  const Translated t = translate(testing::readFixture("anthropic/anthropic-refusal.json"));
  EXPECT_TRUE(t.message.at("content").is_null());
  EXPECT_TRUE(t.message.at("refusal").as_string().starts_with("This request triggered"));
  EXPECT_EQ(finishReason(t), "content_filter");
  EXPECT_EQ(t.usage.promptTokens, 18);
  EXPECT_EQ(t.usage.completionTokens, 5);
}

TEST(AnthropicResponse, ThinkingBecomesReasoningContent) {
  const Translated t = translate(testing::readFixture("anthropic/anthropic-clear-thinking.1.json"));
  EXPECT_EQ(t.message.at("content").as_string(), "925 ÷ 5 = 185");
  EXPECT_EQ(t.message.at("reasoning_content").as_string(), "925 divided by 5 = 185");
  const auto& blocks = t.message.at("thinking_blocks").as_array();
  ASSERT_EQ(blocks.size(), 1u);
  EXPECT_EQ(blocks[0].at("type").as_string(), "thinking");
  EXPECT_EQ(blocks[0].at("thinking").as_string(), "925 divided by 5 = 185");
  EXPECT_TRUE(blocks[0].at("signature").as_string().starts_with("Er4BCkYICxgCKkCoxqLH"));
  EXPECT_EQ(t.usage.promptTokens, 69);
  EXPECT_EQ(t.usage.completionTokens, 33);
}

TEST(AnthropicResponse, FallbackAndServerToolBlocksAreSkipped) {
  const Translated f = translate(testing::readFixture("anthropic/anthropic-fallback.json"));
  EXPECT_EQ(f.message.at("content").as_string(),
            "The printing press was invented by Johannes Gutenberg around 1440.");
  EXPECT_EQ(f.completion.at("model").as_string(), "claude-opus-4-8");
  EXPECT_EQ(f.usage.promptTokens, 412);
  EXPECT_EQ(f.usage.completionTokens, 264);
  for (const char* file :
       {"anthropic/anthropic-web-search-tool.1.json",
        "anthropic/anthropic-code-execution-20250825.1.json", "anthropic/anthropic-mcp.1.json"}) {
    SCOPED_TRACE(file);
    const Translated t = translate(testing::readFixture(file));
    EXPECT_FALSE(t.message.contains("tool_calls"));
    EXPECT_TRUE(t.message.at("content").is_string());
    EXPECT_TRUE(t.usage.present);
  }
}

TEST(AnthropicResponse, CacheUsageAndStopReasons) {
  const auto body = [](std::string_view stop) {
    return std::string(
               R"({"id":"msg_1","type":"message","role":"assistant","model":"claude-3-5-haiku-20241022",
      "content":[{"type":"text","text":"ok"}],"stop_reason":")") +
           std::string(stop) +
           R"(","usage":{"input_tokens":10,"cache_read_input_tokens":1000,"cache_creation_input_tokens":200,"output_tokens":3}})";
  };
  const Translated t = translate(body("end_turn"));
  EXPECT_EQ(t.usage.promptTokens, 1210);
  EXPECT_EQ(t.usage.cachedPromptTokens, 1000);
  EXPECT_EQ(t.usage.cacheWriteTokens, 200);
  EXPECT_EQ(t.usage.completionTokens, 3);
  EXPECT_EQ(t.usage.totalTokens, 1213);
  const auto& u = t.completion.at("usage").as_object();
  EXPECT_EQ(u.at("prompt_tokens").as_int64(), 1210);
  EXPECT_EQ(u.at("prompt_tokens_details").at("cached_tokens").as_int64(), 1000);
  EXPECT_EQ(u.at("cache_creation_input_tokens").as_int64(), 200);
  EXPECT_EQ(u.at("cache_read_input_tokens").as_int64(), 1000);
  for (const auto& [stop, finish] :
       std::vector<std::pair<std::string, std::string>>{{"end_turn", "stop"},
                                                        {"stop_sequence", "stop"},
                                                        {"max_tokens", "length"},
                                                        {"tool_use", "tool_calls"},
                                                        {"refusal", "content_filter"},
                                                        {"pause_turn", "stop"}}) {
    EXPECT_EQ(finishReason(translate(body(stop))), finish) << stop;
  }
}

TEST(AnthropicResponse, MalformedBodiesAreBadUpstream) {
  for (const std::string& body : {std::string("not json"), std::string("[1]"), std::string("{}"),
                                  std::string(R"({"content":"text"})")}) {
    Usage usage;
    auto r = adapter().translateResponse(chat(), body, usage);
    ASSERT_FALSE(r) << body;
    EXPECT_EQ(r.error().cls, ErrorClass::kBadUpstream);
  }
  // Odd blocks and fields are skipped, not fatal.
  const Translated t = translate(
      R"({"id":5,"content":[7,{"type":"text"},{"type":"tool_use","name":"f"},{"type":"mystery"}],"usage":{"input_tokens":"x"}})");
  EXPECT_EQ(t.message.at("tool_calls").at(0).at("function").at("arguments").as_string(), "{}");
  EXPECT_TRUE(t.completion.at("choices").at(0).at("finish_reason").is_null());
}

struct ErrorCase {
  int status;
  std::string type;
  std::string message;
  ErrorClass cls;
  int clientStatus;
};

TEST(AnthropicErrors, Classification) {
  const std::vector<ErrorCase> cases = {
      {400, "invalid_request_error", "max_tokens: Field required", ErrorClass::kBadRequest, 400},
      {400, "invalid_request_error", "prompt is too long: 208310 tokens > 200000 maximum",
       ErrorClass::kContextWindow, 400},
      {401, "authentication_error", "invalid x-api-key", ErrorClass::kUnauthorized, 401},
      {403, "permission_error", "not allowed", ErrorClass::kForbidden, 403},
      {404, "not_found_error", "model: claude-9", ErrorClass::kNotFound, 404},
      {413, "request_too_large", "Request exceeds the maximum size", ErrorClass::kPayloadTooLarge,
       413},
      {429, "rate_limit_error", "Number of requests has exceeded your rate limit",
       ErrorClass::kRateLimited, 429},
      {500, "api_error", "Internal server error", ErrorClass::kUpstreamServer, 502},
      {529, "overloaded_error", "Overloaded", ErrorClass::kUpstreamServer, 503},
  };
  for (const auto& c : cases) {
    const std::string body = R"({"type":"error","error":{"type":")" + c.type + R"(","message":")" +
                             c.message + R"("},"request_id":"req_1"})";
    const Error e = adapter().classifyError(c.status, body, c.status == 429 ? "17" : "");
    EXPECT_EQ(e.cls, c.cls) << c.type << " " << c.message;
    EXPECT_EQ(e.status, c.clientStatus) << c.type;
    EXPECT_NE(e.message.find(c.message), std::string::npos) << e.message;
    EXPECT_EQ(e.retryAfterSeconds, c.status == 429 ? 17 : 0);
  }
  const Error ctx = adapter().classifyError(
      400,
      R"({"type":"error","error":{"type":"invalid_request_error","message":"prompt is too long: 1 tokens > 0 maximum"}})",
      "");
  EXPECT_EQ(ctx.code, "context_length_exceeded");
  EXPECT_EQ(ctx.status, 400);
  EXPECT_TRUE(adapter().classifyError(529, "{}", "").retryable());
  // Bodies that are not Anthropic's: the status decides and the text is kept.
  const Error html = adapter().classifyError(502, "<html>Bad gateway</html>", "");
  EXPECT_EQ(html.cls, ErrorClass::kUpstreamServer);
  EXPECT_EQ(html.status, 502);
  EXPECT_NE(html.message.find("Bad gateway"), std::string::npos);
  EXPECT_EQ(adapter().classifyError(429, "", "").cls, ErrorClass::kRateLimited);
  EXPECT_EQ(adapter().classifyError(401, "null", "").cls, ErrorClass::kUnauthorized);
}

}  // namespace
}  // namespace switchyard
