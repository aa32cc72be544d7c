// A Responses client behind a Responses-native deployment (OpenAI, Azure OpenAI): the recorded
// streams are forwarded as they came whatever the split, with usage read from their terminal
// event; whole bodies have their usage scanned. Also which deployments are sent the client's body.

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <random>

#include "api/openai/responses_request.hpp"
#include "providers/openai/openai_usage.hpp"
#include "providers/openai/responses_native.hpp"
#include "support/fixtures.hpp"

namespace switchyard {
namespace {

namespace json = boost::json;

std::string sseWire(const std::vector<std::string>& lines) {
  std::string wire;
  for (const auto& line : lines) {
    const auto v = json::parse(line);
    wire +=
        "event: " + std::string(v.as_object().at("type").as_string()) + "\ndata: " + line + "\n\n";
  }
  return wire;
}

// The counts the recording's final Response says, read from the tree (not by the scanner).
Usage recordedUsage(const json::value& response) {
  Usage u;
  const auto& usage = response.at("usage");
  u.promptTokens = usage.at("input_tokens").to_number<int64_t>();
  u.completionTokens = usage.at("output_tokens").to_number<int64_t>();
  u.totalTokens = usage.at("total_tokens").to_number<int64_t>();
  u.cachedPromptTokens = usage.at("input_tokens_details").at("cached_tokens").to_number<int64_t>();
  u.reasoningTokens = usage.at("output_tokens_details").at("reasoning_tokens").to_number<int64_t>();
  return u;
}

void expectSameCounts(const Usage& got, const Usage& want) {
  EXPECT_TRUE(got.present);
  EXPECT_EQ(got.promptTokens, want.promptTokens);
  EXPECT_EQ(got.completionTokens, want.completionTokens);
  EXPECT_EQ(got.totalTokens, want.totalTokens);
  EXPECT_EQ(got.cachedPromptTokens, want.cachedPromptTokens);
  EXPECT_EQ(got.reasoningTokens, want.reasoningTokens);
}

void replay(const std::vector<std::string>& lines);

constexpr const char* kStreams[] = {"azure-text.1.chunks.txt",
                                    "azure-reasoning-encrypted-content.1.chunks.txt",
                                    "azure-web-search-preview-tool.1.chunks.txt",
                                    "openai-web-search-tool.1.chunks.txt",
                                    "openai-custom-tool.1.chunks.txt",
                                    "openai-phase.1.chunks.txt"};

TEST(ResponsesStreamPassThrough, RecordedStreamsAtArbitrarySplitsKeepBytesAndReadUsage) {
  for (const char* file : kStreams) {
    SCOPED_TRACE(file);
    // A recording may hold several answers one after the other (a multi-turn exchange).
    std::vector<std::vector<std::string>> answers(1);
    for (const auto& line : testing::readChunks(std::string("openai-responses/") + file)) {
      answers.back().push_back(line);
      const auto type = json::parse(line).at("type").as_string();
      if (type == "response.completed" || type == "response.incomplete") answers.emplace_back();
    }
    answers.pop_back();
    ASSERT_FALSE(answers.empty());
    for (const auto& lines : answers) {
      replay(lines);
    }
  }
}

void replay(const std::vector<std::string>& lines) {
  {
    const std::string wire = sseWire(lines);
    const Usage want = recordedUsage(json::parse(lines.back()).at("response"));
    for (uint32_t seed = 1; seed <= 4; ++seed) {
      std::mt19937 rng(seed);
      std::uniform_int_distribution<size_t> pieceSize(1, seed * 40);
      ResponsesStreamPassThrough t;
      t.watchForContent();
      std::string out;
      Usage usage;
      for (size_t pos = 0; pos < wire.size();) {
        const size_t n = std::min(pieceSize(rng), wire.size() - pos);
        ASSERT_TRUE(t.onBytes(std::string_view(wire).substr(pos, n), out, usage));
        pos += n;
      }
      // Hosted-tool items and everything else a translation would not name survive.
      EXPECT_EQ(out, wire);
      EXPECT_TRUE(t.finished());
      EXPECT_TRUE(t.sawContent());
      expectSameCounts(usage, want);
    }
  }
}

TEST(ResponsesStreamPassThrough, DataOnlyFramingIsReadByType) {
  const auto lines = testing::readChunks("openai-responses/azure-text.1.chunks.txt");
  std::string wire;
  for (const auto& l : lines) wire += "data: " + l + "\n\n";
  ResponsesStreamPassThrough t;
  std::string out;
  Usage usage;
  ASSERT_TRUE(t.onBytes(wire, out, usage));
  EXPECT_TRUE(t.finished());
  EXPECT_EQ(out, sseWire(lines));  // written with the event names
  EXPECT_EQ(usage.promptTokens, 11);
}

TEST(ResponsesStreamPassThrough, FailedResponseEndsItAndAnErrorEventIsAnError) {
  const auto lines = testing::readChunks("openai-responses/openai-error.1.chunks.txt");
  // The recording's error event comes before its response.failed: an Error (retried elsewhere
  // while nothing went out, else reported by fail()); what came before it was forwarded.
  ResponsesStreamPassThrough t;
  std::string out;
  Usage usage;
  auto failed = t.onBytes(sseWire(lines), out, usage);
  ASSERT_FALSE(failed);
  EXPECT_FALSE(failed.error().message.empty());
  EXPECT_EQ(out, sseWire({lines[0], lines[1]}));
  // response.failed alone is terminal.
  ResponsesStreamPassThrough alone;
  out.clear();
  ASSERT_TRUE(alone.onBytes(sseWire({lines[0], lines[1], lines[3]}), out, usage));
  EXPECT_TRUE(alone.finished());

  ResponsesStreamPassThrough e;
  out.clear();
  auto r = e.onBytes(
      "event: error\ndata: {\"type\":\"error\",\"sequence_number\":0,\"code\":\"server_error\","
      "\"message\":\"boom\",\"param\":null}\n\n",
      out, usage);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "boom");
  EXPECT_TRUE(r.error().retryable());
  EXPECT_TRUE(out.empty());

  ResponsesStreamPassThrough f;
  out.clear();
  ASSERT_TRUE(f.onBytes(sseWire({lines[0], lines[1]}), out, usage));
  std::string failure;
  f.fail(Error::make(ErrorClass::kTimeout, "upstream timed out", {}, "timeout"), failure);
  f.fail(Error::make(ErrorClass::kTimeout, "again"), failure);
  EXPECT_EQ(failure,
            "event: error\ndata: {\"type\":\"error\",\"sequence_number\":2,\"code\":\"timeout\","
            "\"message\":\"upstream timed out\",\"param\":null}\n\n");
}

TEST(ResponsesStreamPassThrough, NotJsonIsABadUpstream) {
  ResponsesStreamPassThrough t;
  std::string out;
  Usage usage;
  auto r = t.onBytes("data: [DONE]\n\n", out, usage);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().cls, ErrorClass::kBadUpstream);
}

TEST(ResponsesUsageScan, WholeRecordedBodies) {
  for (const char* file : {"azure-tool-call.1.json", "azure-reasoning-encrypted-content.1.json",
                           "openai-reasoning-encrypted-content.1.json", "openai-phase.1.json"}) {
    SCOPED_TRACE(file);
    const std::string body = testing::readFixture(std::string("openai-responses/") + file);
    Usage usage;
    ASSERT_TRUE(scanOpenAiUsage(body, usage));
    expectSameCounts(usage, recordedUsage(json::parse(body)));
  }
}

TEST(SpeaksResponses, OpenAiAndAzureByDefaultOthersWhenTheyListIt) {
  Deployment d;
  d.provider = "openai";
  EXPECT_TRUE(speaksResponses(d));
  d.provider = "azure";
  EXPECT_TRUE(speaksResponses(d));
  d.provider = "hosted_vllm";
  EXPECT_FALSE(speaksResponses(d));
  d.modelInfo["supported_endpoints"] = json::array{"/v1/chat/completions", "/v1/responses"};
  EXPECT_TRUE(speaksResponses(d));
  d.provider = "groq";
  d.modelInfo["supported_endpoints"] = json::array{"/v1/chat/completions"};
  EXPECT_FALSE(speaksResponses(d));
}

}  // namespace
}  // namespace switchyard
