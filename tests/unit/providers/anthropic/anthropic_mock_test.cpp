// The mock provider's /v1/messages answers have the shape of the recorded Anthropic traffic, and
// the gateway's translator reads them.

#include <gtest/gtest.h>

#include "support/openai_chunks.hpp"

#include <boost/json.hpp>

#include "providers/anthropic/anthropic_stream.hpp"
#include "support/fixtures.hpp"
#include "tools/mock-provider/anthropic_responder.hpp"

namespace switchyard {
namespace {

namespace json = boost::json;

mock::AnswerContext context() {
  mock::AnswerContext ctx;
  ctx.id = "abcdefghijklmnopqrstuvwxyz012";
  ctx.created = 1700000000;
  ctx.completionTokens = 5;
  return ctx;
}

std::vector<std::string> keys(const json::object& o) {
  std::vector<std::string> out;
  for (const auto& [k, v] : o) out.emplace_back(k);
  std::sort(out.begin(), out.end());
  return out;
}

TEST(AnthropicMock, WholeAnswerHasTheRecordedShape) {
  const auto recorded =
      json::parse(testing::readFixture("anthropic/anthropic-text.json")).as_object();
  const auto answer = mock::answerAnthropicMessages(
      json::parse(
          R"({"model":"claude-3-5-haiku-latest","max_tokens":100,"messages":[{"role":"user","content":"hi"}]})")
          .as_object(),
      context());
  ASSERT_FALSE(answer.stream);
  ASSERT_EQ(answer.reply.status, 200u);
  const auto body = json::parse(answer.reply.body).as_object();
  EXPECT_EQ(keys(body), keys(recorded));
  for (const char* k : {"input_tokens", "output_tokens", "cache_read_input_tokens",
                        "cache_creation_input_tokens"}) {
    EXPECT_TRUE(body.at("usage").as_object().contains(k)) << k;
  }
  EXPECT_EQ(body.at("content").at(0).at("type").as_string(), "text");
  EXPECT_EQ(body.at("stop_reason").as_string(), "end_turn");
  EXPECT_EQ(body.at("usage").at("output_tokens").as_int64(), 5);
}

TEST(AnthropicMock, MissingMaxTokensIsRefusedLikeAnthropic) {
  const auto answer = mock::answerAnthropicMessages(
      json::parse(R"({"model":"c","messages":[{"role":"user","content":"hi"}]})").as_object(),
      context());
  EXPECT_EQ(answer.reply.status, 400u);
  const auto body = json::parse(answer.reply.body).as_object();
  EXPECT_EQ(body.at("type").as_string(), "error");
  EXPECT_EQ(body.at("error").at("type").as_string(), "invalid_request_error");
  const auto overloaded = json::parse(mock::anthropicStatusReply(529, 3).body);
  EXPECT_EQ(overloaded.at("error").at("type").as_string(), "overloaded_error");
  EXPECT_EQ(mock::anthropicStatusReply(529, 3).retryAfterSeconds, 3);
}

TEST(AnthropicMock, StreamEventsTranslate) {
  for (const bool tools : {false, true}) {
    SCOPED_TRACE(tools ? "tool call" : "text");
    std::string request =
        R"({"model":"claude-3-5-haiku-latest","max_tokens":100,"stream":true,"thinking":{"type":"enabled","budget_tokens":1024},"messages":[{"role":"user","content":"hi"}])";
    if (tools) {
      request +=
          R"(,"tools":[{"name":"get_weather","input_schema":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}])";
    }
    request += "}";
    const auto answer = mock::answerAnthropicMessages(json::parse(request).as_object(), context());
    ASSERT_TRUE(answer.stream);
    std::string wire = answer.plan.head;
    for (const auto& c : answer.plan.content) wire += c;
    wire += answer.plan.tail;
    // Every event carries `event:` with its payload's type, as Anthropic sends them.
    SseParser parser;
    parser.feed(wire, [&](const SseEvent& e) {
      EXPECT_EQ(json::parse(e.data).at("type").as_string(), e.event);
    });

    testing::OpenAiChunks<anthropic::AnthropicStreamDecoder> translator(true, false);
    std::string out;
    Usage usage;
    ASSERT_TRUE(translator.onBytes(wire, out, usage));
    EXPECT_TRUE(translator.finished());
    EXPECT_NE(out.find("\"reasoning_content\""), std::string::npos);
    EXPECT_NE(out.find(tools ? "\"finish_reason\":\"tool_calls\"" : "\"finish_reason\":\"stop\""),
              std::string::npos);
    if (tools) {
      EXPECT_NE(out.find("\"name\":\"get_weather\""), std::string::npos);
    }
    EXPECT_TRUE(usage.present);
    EXPECT_GT(usage.promptTokens, 0);
    EXPECT_GT(usage.completionTokens, 0);
  }
}

}  // namespace
}  // namespace switchyard
