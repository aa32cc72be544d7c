// ConverseStream → OpenAI chunks over the recorded event payloads, fed as real event-stream
// frames split at every boundary and at random sizes; also the mock provider's own frames.

#include <gtest/gtest.h>

#include "support/openai_chunks.hpp"

#include <boost/json.hpp>
#include <random>

#include "providers/bedrock/bedrock_adapter.hpp"
#include "providers/bedrock/bedrock_stream.hpp"
#include "providers/bedrock/chunk_assembly.hpp"
#include "support/bedrock_fixtures.hpp"
#include "support/fixtures.hpp"
#include "tools/mock-provider/bedrock_responder.hpp"

namespace switchyard {
namespace {

namespace json = boost::json;

std::string encodeFixture(const std::string& file) {
  return testing::encodeBedrockEvents(testing::readChunks("amazon-bedrock/" + file));
}

struct Replay {
  std::string out;
  Usage usage;
  bool finished = false;
};

Replay feed(std::string_view wire, const std::vector<size_t>& cuts, bool wantsUsage) {
  testing::OpenAiChunks<BedrockStreamDecoder> t(wantsUsage, "claude");
  Replay r;
  size_t at = 0;
  for (size_t cut : cuts) {
    auto ok = t.onBytes(wire.substr(at, cut - at), r.out, r.usage);
    EXPECT_TRUE(ok) << ok.error().message;
    at = cut;
  }
  auto ok = t.onBytes(wire.substr(at), r.out, r.usage);
  EXPECT_TRUE(ok) << ok.error().message;
  t.onUpstreamEnd(r.out, r.usage);
  r.finished = t.finished();
  return r;
}

struct StreamCase {
  const char* file;
  const char* content;
  const char* reasoning;
  std::vector<std::array<const char*, 3>> calls;
  const char* finish;
  bool withUsage;  // the recording has a metadata (usage) event
  int64_t prompt, completion;
};

class BedrockStream : public ::testing::TestWithParam<StreamCase> {};

void expectCase(const StreamCase& c, const Replay& r, bool wantsUsage) {
  const auto a = testing::assemble(r.out);
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
  ASSERT_EQ(a.finishReasons.size(), 1u);
  EXPECT_EQ(a.finishReasons[0], c.finish);
  // Every recording has messageStop: complete, with or without the usage that follows it.
  EXPECT_TRUE(r.finished);
  EXPECT_TRUE(a.done);
  EXPECT_FALSE(a.dataAfterDone);
  if (!c.withUsage) {
    EXPECT_FALSE(r.usage.present);
    EXPECT_EQ(a.usageChunks, 0);
    return;
  }
  EXPECT_TRUE(r.usage.present);
  EXPECT_EQ(r.usage.promptTokens, c.prompt);
  EXPECT_EQ(r.usage.completionTokens, c.completion);
  EXPECT_EQ(r.usage.totalTokens, c.prompt + c.completion);
  EXPECT_EQ(a.usageChunks, wantsUsage ? 1 : 0);
  if (wantsUsage) {
    EXPECT_EQ(a.usage.at("prompt_tokens").as_int64(), c.prompt);
    EXPECT_EQ(a.usage.at("completion_tokens").as_int64(), c.completion);
  }
}

TEST_P(BedrockStream, EveryTwoPieceSplit) {
  const auto& c = GetParam();
  const std::string wire = encodeFixture(c.file);
  for (size_t cut = 0; cut <= wire.size(); ++cut) {
    SCOPED_TRACE("cut at " + std::to_string(cut));
    expectCase(c, feed(wire, {cut}, cut % 2 == 0), cut % 2 == 0);
    if (HasFailure()) return;
  }
}

TEST_P(BedrockStream, RandomSplits) {
  const auto& c = GetParam();
  const std::string wire = encodeFixture(c.file);
  std::mt19937 rng(11);
  for (int round = 0; round < 20; ++round) {
    std::vector<size_t> cuts;
    for (size_t at = 0;;) {
      at += std::uniform_int_distribution<size_t>(1, 40)(rng);
      if (at >= wire.size()) break;
      cuts.push_back(at);
    }
    expectCase(c, feed(wire, cuts, true), true);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Fixtures, BedrockStream,
    ::testing::Values(
        StreamCase{"amazon-bedrock-text.chunks.txt",
                   "Let me count the \"r\"s in \"strawberry\":\n\ns-t-**r**-a-w-b-e-**r**-**r**-y"
                   "\n\nThere are **3** r's in \"strawberry.\"",
                   "",
                   {},
                   "stop",
                   true,
                   22,
                   55},
        StreamCase{"amazon-bedrock-reasoning.chunks.txt",
                   "There are **3** r's in \"strawberry\":\n\n1. st**r**awbe**r****r**y",
                   "Let me count the r's in \"strawberry\":\n\ns-t-r-a-w-b-e-r-r-y\n\nr appears at "
                   "positions 3, 8, and 9.\n\nSo there are 3 r's.",
                   {},
                   "stop",
                   true,
                   51,
                   94},
        StreamCase{"amazon-bedrock-tool-call.1.chunks.txt",
                   "",
                   "",
                   {{"tool-use-id", "test-tool", R"({"value":"Sparkle Day"})"}},
                   "tool_calls",
                   true,
                   125,
                   45},
        StreamCase{"amazon-bedrock-tool-no-args.chunks.txt",
                   "I'll update the issue list for you.",
                   "",
                   {{"tool-use-id", "updateIssueList", "{}"}},
                   "tool_calls",
                   true,
                   100,
                   25},
        StreamCase{"amazon-bedrock-json-tool-text-then-weather-then-json.1.chunks.txt",
                   "2 + 2 equals 4. Now let me check the weather for you.",
                   "",
                   {{"weather-tool-1", "weather", R"({"location":"San Francisco"})"},
                    {"weather-tool-2", "weather", R"({"location":"London"})"}},
                   "tool_calls",
                   true,
                   500,
                   100},
        StreamCase{
            "amazon-bedrock-json-other-tool.1.chunks.txt",
            "",
            "",
            {{"toolu_01PQjhxo3eirCdKNvCJrKc8f", "get-weather", R"({"location":"San Francisco"})"}},
            "tool_calls",
            true,
            843,
            28},
        // Recorded without the final metadata event: messageStop came, so the answer is
        // complete with its usage unknown.
        StreamCase{"amazon-bedrock-json-tool.2.chunks.txt",
                   "Let me generate that JSON for you.",
                   "",
                   {{"json-tool-id", "json", R"({"value":"test"})"}},
                   "tool_calls",
                   false,
                   0,
                   0}));

TEST(BedrockStreamEvents, DecodedPayloadsThroughOnEvent) {
  testing::OpenAiChunks<BedrockStreamDecoder> t(false, "claude");
  std::string out;
  Usage usage;
  for (const auto& line : testing::readChunks("amazon-bedrock/amazon-bedrock-text.chunks.txt")) {
    const auto [type, payload] = testing::splitBedrockEvent(line);
    ASSERT_TRUE(t.onEvent(type, payload, out, usage));
  }
  EXPECT_TRUE(t.finished());
  const auto a = testing::assemble(out);
  EXPECT_EQ(a.usageChunks, 0);
  EXPECT_TRUE(a.done);
  EXPECT_EQ(usage.promptTokens, 22);
  // role chunk, 12 text deltas, finish chunk.
  EXPECT_EQ(a.chunks, 14u);
}

TEST(BedrockStreamEvents, ExceptionMessagesBecomeClassifiedErrors) {
  testing::OpenAiChunks<BedrockStreamDecoder> t(true, "claude");
  std::string out;
  Usage usage;
  std::string wire = encodeEventStreamMessage(
      {{":event-type", "messageStart"}, {":message-type", "event"}}, R"({"role":"assistant"})");
  wire += encodeEventStreamMessage(
      {{":exception-type", "throttlingException"},
       {":content-type", "application/json"},
       {":message-type", "exception"}},
      R"({"message":"Too many tokens, please wait before trying again."})");
  auto r = t.onBytes(wire, out, usage);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().cls, ErrorClass::kRateLimited);
  EXPECT_EQ(r.error().status, 429);
  EXPECT_NE(r.error().message.find("throttlingException"), std::string::npos);
  EXPECT_NE(out.find("\"role\":\"assistant\""), std::string::npos);

  testing::OpenAiChunks<BedrockStreamDecoder> v(true, "claude");
  auto validation =
      v.onBytes(encodeEventStreamMessage(
                    {{":exception-type", "validationException"}, {":message-type", "exception"}},
                    R"({"message":"Input is too long for requested model."})"),
                out, usage);
  ASSERT_FALSE(validation);
  EXPECT_EQ(validation.error().cls, ErrorClass::kContextWindow);

  testing::OpenAiChunks<BedrockStreamDecoder> m(true, "claude");
  auto modelError = m.onBytes(
      encodeEventStreamMessage(
          {{":exception-type", "modelStreamErrorException"}, {":message-type", "exception"}},
          R"({"message":"boom"})"),
      out, usage);
  ASSERT_FALSE(modelError);
  EXPECT_EQ(modelError.error().cls, ErrorClass::kUpstreamServer);
}

TEST(BedrockStreamEvents, MalformedEventsAreBadUpstream) {
  testing::OpenAiChunks<BedrockStreamDecoder> t(true, "claude");
  std::string out;
  Usage usage;
  EXPECT_FALSE(t.onEvent("contentBlockDelta", "not json", out, usage));
  testing::OpenAiChunks<BedrockStreamDecoder> u(true, "claude");
  auto orphan =
      u.onEvent("contentBlockDelta",
                R"({"contentBlockIndex":3,"delta":{"toolUse":{"input":"{}"}}})", out, usage);
  ASSERT_FALSE(orphan);
  EXPECT_EQ(orphan.error().cls, ErrorClass::kBadUpstream);
}

TEST(BedrockStreamEvents, TheMockProvidersFramesDecode) {
  mock::AnswerContext ctx;
  ctx.id = "abcdefghijklmnopqrstuvwxyz0123";
  ctx.completionTokens = 5;
  boost::beast::http::fields headers;
  headers.set(boost::beast::http::field::authorization,
              "AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/bedrock/aws4_request, "
              "SignedHeaders=host;x-amz-date, Signature=00");
  headers.set("x-amz-date", "20240101T000000Z");
  headers.set("x-amz-content-sha256", "00");
  const auto body =
      json::parse(R"({"messages":[{"role":"user","content":[{"text":"hi"}]}]})").as_object();
  const auto answer = mock::answerBedrock("anthropic.claude-3-5-sonnet-20240620-v1:0",
                                          "converse-stream", headers, body, ctx);
  ASSERT_TRUE(answer.stream);
  EXPECT_EQ(answer.plan.contentType, "application/vnd.amazon.eventstream");
  std::string wire = answer.plan.head;
  for (const auto& c : answer.plan.content) wire += c;
  wire += answer.plan.tail;
  const Replay r = feed(wire, {7, 100, 101}, true);
  EXPECT_TRUE(r.finished);
  const auto a = testing::assemble(r.out);
  EXPECT_EQ(a.content, "This is a mock response");
  EXPECT_EQ(a.finishReasons, std::vector<std::string>{"stop"});
  EXPECT_EQ(r.usage.completionTokens, 5);

  boost::beast::http::fields unsigned_;
  const auto denied = mock::answerBedrock("m", "converse", unsigned_, body, ctx);
  EXPECT_EQ(denied.reply.status, 403u);
}

}  // namespace
}  // namespace switchyard
