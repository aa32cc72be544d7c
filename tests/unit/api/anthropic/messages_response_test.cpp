// OpenAI chat.completion bodies (recorded fixtures and hand-made edge cases) → Anthropic Message.

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "api/anthropic/anthropic_mapping.hpp"
#include "api/anthropic/messages_answer.hpp"
#include "api/anthropic/messages_request.hpp"
#include "api/anthropic/messages_response.hpp"
#include "providers/anthropic/anthropic_common.hpp"
#include "providers/common/reasoning_effort.hpp"
#include "providers/openai/openai_answer.hpp"
#include "providers/openai/openai_usage.hpp"
#include "support/fixtures.hpp"

namespace switchyard {
namespace {

namespace json = boost::json;

// Anthropic's token counts for an OpenAI usage object, as the gateway reads them.
anthropic_map::AnthropicTokenCounts countsFromOpenAi(const json::object& openAi) {
  Usage u;
  readOpenAiUsage(openAi, u);
  return anthropicCounts(u);
}

// What a /v1/messages client gets for a whole OpenAI-format answer: decoded into events and
// encoded as an Anthropic Message.
Result<std::string> encodeAnthropicResponse(const ApiRequest& req, std::string_view openAi) {
  AnthropicAnswerEncoder encoder(req);
  if (auto r = decodeOpenAiAnswer(openAi, encoder); !r) return r.error();
  return encoder.body();
}

ApiRequest request(std::string_view extra = "") {
  std::string b =
      R"({"model":"claude-alias","max_tokens":64,"messages":[{"role":"user","content":"q"}])";
  b += extra;
  b += "}";
  auto r = parseAnthropicRequest(b);
  EXPECT_TRUE(r) << (r ? "" : r.error().message);
  return r ? *r : ApiRequest{};
}

json::object encode(const std::string& openAi, const ApiRequest& req = request()) {
  auto r = encodeAnthropicResponse(req, openAi);
  EXPECT_TRUE(r) << (r ? "" : r.error().message);
  return r ? json::parse(*r).as_object() : json::object{};
}

// A chat.completion with the given message and finish_reason.
std::string completion(std::string_view message, std::string_view finish,
                       std::string_view extraChoice = "") {
  return R"({"id":"chatcmpl-1","object":"chat.completion","choices":[{"index":0,"message":)" +
         std::string(message) + R"(,"finish_reason":)" + std::string(finish) +
         std::string(extraChoice) +
         R"(}],"usage":{"prompt_tokens":10,"completion_tokens":5,"total_tokens":15}})";
}

TEST(AnthropicInboundResponse, XaiToolCallWithReasoningAndCachedTokens) {
  const auto m = encode(testing::readFixture("openai-compatible/xai-tool-call.json"));
  EXPECT_EQ(m.at("id"), "msg_acfa24c3-b556-0f2c-731e-64fb836d544b");
  EXPECT_EQ(m.at("type"), "message");
  EXPECT_EQ(m.at("role"), "assistant");
  EXPECT_EQ(m.at("model"), "claude-alias");
  const auto& content = m.at("content").as_array();
  ASSERT_EQ(content.size(), 2u);  // the empty text content makes no block
  EXPECT_EQ(content[0].at("type"), "thinking");
  EXPECT_EQ(std::string_view(content[0].at("thinking").as_string()).substr(0, 40),
            "First, the user is asking about the weat");
  EXPECT_EQ(content[0].at("signature"), "");
  EXPECT_EQ(content[1], json::parse(R"({"type":"tool_use","id":"call_46427107","name":"weather",
      "input":{"location":"San Francisco"}})"));
  EXPECT_EQ(m.at("stop_reason"), "tool_use");
  EXPECT_EQ(m.at("stop_sequence"), nullptr);
  // prompt 307 of which 244 cached; xAI counts its 255 reasoning tokens only in total_tokens.
  EXPECT_EQ(m.at("usage"), json::parse(R"({"input_tokens":63,"output_tokens":281,
      "cache_creation_input_tokens":0,"cache_read_input_tokens":244,
      "output_tokens_details":{"thinking_tokens":255}})"));
}

TEST(AnthropicInboundResponse, DeepSeekTextCutByLength) {
  const auto m = encode(testing::readFixture("openai/deepseek-text.json"));
  EXPECT_EQ(m.at("id"), "msg_00f10ecd-60b3-4707-b5db-e4bcadf7aea1");
  const auto& content = m.at("content").as_array();
  ASSERT_EQ(content.size(), 1u);
  EXPECT_EQ(content[0].at("type"), "text");
  const auto fixture = json::parse(testing::readFixture("openai/deepseek-text.json"));
  EXPECT_EQ(content[0].at("text"), fixture.at("choices").at(0).at("message").at("content"));
  EXPECT_EQ(m.at("stop_reason"), "max_tokens");
  EXPECT_EQ(m.at("usage"), json::parse(R"({"input_tokens":13,"output_tokens":300,
      "cache_creation_input_tokens":0,"cache_read_input_tokens":0})"));
}

TEST(AnthropicInboundResponse, DeepSeekReasoning) {
  const auto fixture =
      json::parse(testing::readFixture("openai-compatible/deepseek-reasoning.json"));
  const auto m = encode(testing::readFixture("openai-compatible/deepseek-reasoning.json"));
  const auto& content = m.at("content").as_array();
  ASSERT_EQ(content.size(), 2u);
  const auto& msg = fixture.at("choices").at(0).at("message");
  EXPECT_EQ(content[0].at("type"), "thinking");
  EXPECT_EQ(content[0].at("thinking"), msg.at("reasoning_content"));
  EXPECT_EQ(content[1].at("type"), "text");
  EXPECT_EQ(content[1].at("text"), msg.at("content"));
  EXPECT_EQ(m.at("stop_reason"), "end_turn");
  EXPECT_EQ(m.at("usage"), json::parse(R"({"input_tokens":18,"output_tokens":345,
      "cache_creation_input_tokens":0,"cache_read_input_tokens":0,
      "output_tokens_details":{"thinking_tokens":315}})"));
}

TEST(AnthropicInboundResponse, FinishReasons) {
  const std::string text = R"({"role":"assistant","content":"x"})";
  EXPECT_EQ(encode(completion(text, R"("stop")")).at("stop_reason"), "end_turn");
  EXPECT_EQ(encode(completion(text, R"("length")")).at("stop_reason"), "max_tokens");
  EXPECT_EQ(encode(completion(text, R"("content_filter")")).at("stop_reason"), "refusal");
  EXPECT_EQ(encode(completion(text, "null")).at("stop_reason"), "end_turn");
  EXPECT_EQ(encode(completion(text, R"("something_new")")).at("stop_reason"), "end_turn");
}

TEST(AnthropicInboundResponse, StopSequenceWhenTheUpstreamSaysWhichMatched) {
  const auto req = request(R"(,"stop_sequences":["END","STOP"])");
  const std::string text = R"({"role":"assistant","content":"x"})";
  const auto m = encode(completion(text, R"("stop")", R"(,"stop_reason":"STOP")"), req);
  EXPECT_EQ(m.at("stop_reason"), "stop_sequence");
  EXPECT_EQ(m.at("stop_sequence"), "STOP");
  // A stop_reason that is not one of ours (vLLM reports token ids too) means end_turn.
  const auto eos = encode(completion(text, R"("stop")", R"(,"stop_reason":151643)"), req);
  EXPECT_EQ(eos.at("stop_reason"), "end_turn");
  EXPECT_EQ(eos.at("stop_sequence"), nullptr);
}

TEST(AnthropicInboundResponse, ToolCallsAfterStopAreStillToolUse) {
  const auto m = encode(completion(R"({"role":"assistant","content":"Let me check.","tool_calls":[
      {"id":"c1","type":"function","function":{"name":"a","arguments":"{\"x\":[1,2]}"}},
      {"type":"function","function":{"name":"b","arguments":""}}]})",
                                   R"("stop")"));
  EXPECT_EQ(m.at("stop_reason"), "tool_use");
  EXPECT_EQ(m.at("content"), json::parse(R"([{"type":"text","text":"Let me check."},
      {"type":"tool_use","id":"c1","name":"a","input":{"x":[1,2]}},
      {"type":"tool_use","id":"toolu_1","name":"b","input":{}}])"));
}

TEST(AnthropicInboundResponse, RefusalAndContentParts) {
  const auto refused = encode(
      completion(R"({"role":"assistant","content":null,"refusal":"I can't help."})", R"("stop")"));
  EXPECT_EQ(refused.at("stop_reason"), "refusal");
  EXPECT_EQ(refused.at("content"), json::parse(R"([{"type":"text","text":"I can't help."}])"));
  const auto parts = encode(completion(
      R"({"role":"assistant","content":[{"type":"text","text":"a"},{"type":"text","text":"b"}]})",
      R"("stop")"));
  EXPECT_EQ(parts.at("content"), json::parse(R"([{"type":"text","text":"ab"}])"));
  const auto empty = encode(completion(R"({"role":"assistant","content":""})", R"("stop")"));
  EXPECT_EQ(empty.at("content"), json::array());
}

TEST(AnthropicInboundResponse, ReasoningFieldAndCacheWrites) {
  const auto m = encode(R"({"id":"x","choices":[{"message":{"content":"a","reasoning":"r"},
      "finish_reason":"stop"}],"usage":{"prompt_tokens":100,"completion_tokens":7,
      "prompt_tokens_details":{"cached_tokens":60,"cache_write_tokens":30}}})");
  EXPECT_EQ(m.at("content").at(0),
            json::parse(R"({"type":"thinking","thinking":"r","signature":""})"));
  EXPECT_EQ(m.at("usage"), json::parse(R"({"input_tokens":10,"output_tokens":7,
      "cache_creation_input_tokens":30,"cache_read_input_tokens":60})"));
}

TEST(AnthropicInboundResponse, MissingUsageIsZero) {
  const auto m = encode(R"({"choices":[{"message":{"content":"a"},"finish_reason":"stop"}]})");
  EXPECT_EQ(m.at("id"), "msg_switchyard");
  EXPECT_EQ(m.at("usage").at("input_tokens"), 0);
  EXPECT_EQ(m.at("usage").at("output_tokens"), 0);
}

TEST(AnthropicInboundResponse, MalformedUpstreamBodiesAreBadUpstream) {
  for (
      const char* bad : {
          "<html>",
          "[]",
          R"({"choices":[]})",
          R"({"choices":[1]})",
          R"({"choices":[{"finish_reason":"stop"}]})",
          R"({"choices":[{"message":{"tool_calls":[{"id":"c"}]}}]})",
          R"({"choices":[{"message":{"tool_calls":[{"function":{"arguments":"{}"}}]}}]})",
          R"({"choices":[{"message":{"tool_calls":[{"function":{"name":"f","arguments":"{oops"}}]}}]})",
          R"({"choices":[{"message":{"tool_calls":[{"function":{"name":"f","arguments":"[1]"}}]}}]})",
      }) {
    auto r = encodeAnthropicResponse(request(), bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().cls, ErrorClass::kBadUpstream) << bad;
  }
}

// The round trips below go through the outbound Anthropic provider's inverses, the ones an
// Anthropic client behind an Anthropic upstream meets.
TEST(AnthropicInboundMapping, StopReasonTableRoundTrips) {
  for (std::string_view finish : {"stop", "length", "tool_calls", "content_filter"}) {
    EXPECT_EQ(anthropic::finishReasonFor(anthropic_map::stopReasonFromFinishReason(finish)),
              finish);
  }
  EXPECT_EQ(anthropic::finishReasonFor("stop_sequence"), "stop");
  EXPECT_EQ(anthropic::finishReasonFor("pause_turn"), "stop");
  EXPECT_EQ(anthropic::finishReasonFor("model_context_window_exceeded"), "length");
  EXPECT_EQ(anthropic::finishReasonFor("refusal"), "content_filter");
  EXPECT_EQ(anthropic_map::stopReasonFromFinishReason("function_call"), "tool_use");
}

TEST(AnthropicInboundMapping, EffortBudgetRoundTrips) {
  for (std::string_view effort : {"low", "medium", "high"}) {
    const auto budget = common::thinkingBudgetForEffort(effort);
    ASSERT_TRUE(budget) << effort;
    EXPECT_EQ(anthropic_map::reasoningEffortFromBudget(*budget), effort);
  }
}

// Anthropic reports no thinking tokens apart from output, so none make the trip; reading
// OpenAI's reasoning_tokens as thinking is checked on the fixtures above.
TEST(AnthropicInboundMapping, UsageRoundTrips) {
  anthropic::AnthropicUsage u{
      .present = true, .input = 19, .output = 83, .cacheRead = 320, .cacheCreation = 5};
  const auto openAi = u.toOpenAi();
  EXPECT_EQ(openAi.at("prompt_tokens"), 344);
  EXPECT_EQ(openAi.at("total_tokens"), 427);
  const auto back = countsFromOpenAi(openAi);
  EXPECT_EQ(back.inputTokens, 19);
  EXPECT_EQ(back.outputTokens, 83);
  EXPECT_EQ(back.cacheReadInputTokens, 320);
  EXPECT_EQ(back.cacheCreationInputTokens, 5);
}

TEST(AnthropicInboundMapping, UsageToleratesGarbage) {
  const auto u = countsFromOpenAi(
      json::parse(
          R"({"prompt_tokens":-5,"completion_tokens":"7","prompt_tokens_details":{"cached_tokens":99}})")
          .as_object());
  EXPECT_EQ(u.inputTokens, 0);
  EXPECT_EQ(u.outputTokens, 0);
  EXPECT_EQ(u.cacheReadInputTokens, 0);
}

}  // namespace
}  // namespace switchyard
