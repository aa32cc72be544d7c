// Replays recorded OpenAI-format streams from several hosts through the SSE parser and the
// pass-through translator, split at arbitrary points, and checks what the client would receive.

#include <gtest/gtest.h>

#include <random>

#include "providers/openai/openai_stream.hpp"
#include "support/fixtures.hpp"

namespace switchyard {
namespace {

struct StreamCase {
  const char* file;
  size_t chunks;
  size_t usageOnlyChunks;  // `choices: []` chunks carrying usage (include_usage)
  int64_t prompt;
  int64_t completion;
  int64_t cached;
  int64_t reasoning;
};

struct Replay {
  std::vector<std::string> forwarded;  // data payloads the client receives
  Usage usage;
  bool finished = false;
};

Replay replay(const std::vector<std::string>& chunks, bool clientWantsUsage, std::mt19937& rng) {
  std::string wire;
  for (const auto& c : chunks) wire += "data: " + c + "\n\n";
  wire += "data: [DONE]\n\n";

  OpenAiStreamPassThrough translator(clientWantsUsage);
  std::string out;
  Replay r;
  std::uniform_int_distribution<size_t> pieceSize(1, 700);
  for (size_t pos = 0; pos < wire.size();) {
    const size_t n = std::min(pieceSize(rng), wire.size() - pos);
    auto result = translator.onBytes(std::string_view(wire).substr(pos, n), out, r.usage);
    EXPECT_TRUE(result) << result.error().message;
    pos += n;
  }
  SseParser client;
  client.feed(out, [&](const SseEvent& e) { r.forwarded.emplace_back(e.data); });
  r.finished = translator.finished();
  return r;
}

class OpenAiStreamConformance : public ::testing::TestWithParam<StreamCase> {};

TEST_P(OpenAiStreamConformance, ForwardsChunksUnchangedAndCapturesUsage) {
  const auto& c = GetParam();
  const auto chunks = testing::readChunks(c.file);
  ASSERT_EQ(chunks.size(), c.chunks) << c.file;
  std::mt19937 rng(7);
  for (bool wantsUsage : {false, true}) {
    SCOPED_TRACE(wantsUsage ? "client asked for usage" : "client did not ask for usage");
    const Replay r = replay(chunks, wantsUsage, rng);
    EXPECT_TRUE(r.finished);
    const size_t expected = c.chunks + 1 - (wantsUsage ? 0 : c.usageOnlyChunks);
    ASSERT_EQ(r.forwarded.size(), expected);
    EXPECT_EQ(r.forwarded.back(), "[DONE]");
    // Every forwarded chunk is a recorded chunk, byte for byte, in order.
    size_t next = 0;
    for (size_t i = 0; i + 1 < r.forwarded.size(); ++i) {
      while (next < chunks.size() && chunks[next] != r.forwarded[i]) ++next;
      ASSERT_LT(next, chunks.size()) << "chunk " << i << " was altered or reordered";
      ++next;
    }
    EXPECT_TRUE(r.usage.present);
    EXPECT_EQ(r.usage.promptTokens, c.prompt);
    EXPECT_EQ(r.usage.completionTokens, c.completion);
    EXPECT_EQ(r.usage.cachedPromptTokens, c.cached);
    EXPECT_EQ(r.usage.reasoningTokens, c.reasoning);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Fixtures, OpenAiStreamConformance,
    ::testing::Values(
        StreamCase{"openai/openai-text.chunks.txt", 303, 1, 16, 300, 0, 0},
        StreamCase{"openai-compatible/groq-text.chunks.txt", 663, 0, 45, 662, 0, 0},
        StreamCase{"openai-compatible/groq-tool-call.chunks.txt", 3, 0, 210, 15, 0, 0},
        StreamCase{"openai-compatible/deepseek-text.chunks.txt", 402, 0, 13, 400, 0, 0},
        StreamCase{"openai-compatible/deepseek-reasoning.chunks.txt", 220, 0, 18, 219, 0, 205},
        StreamCase{"openai-compatible/mistral-text.chunks.txt", 8, 0, 13, 8, 0, 0},
        StreamCase{"openai-compatible/xai-text.chunks.txt", 344, 1, 12, 2, 11, 340},
        StreamCase{"openai-compatible/azure-deepseek-reasoning.1.chunks.txt", 785, 1, 19, 1720, 0,
                   0}));

TEST(OpenAiStreamPassThrough, RejectsNonJsonChunks) {
  OpenAiStreamPassThrough t(false);
  std::string out;
  Usage usage;
  auto r = t.onBytes("data: <html>\n\n", out, usage);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().cls, ErrorClass::kBadUpstream);
  EXPECT_TRUE(out.empty());
  EXPECT_FALSE(t.finished());
}

TEST(OpenAiStreamPassThrough, ForwardsUpstreamErrorChunks) {
  OpenAiStreamPassThrough t(false);
  std::string out;
  Usage usage;
  ASSERT_TRUE(t.onBytes(
      "data: {\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}\n\n", out, usage));
  EXPECT_EQ(out, "data: {\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}\n\n");
}

// Whether the answer has begun is read from the chunks as JSON, not guessed from their bytes:
// a host that writes `"content": "x"` with a space is content, a role-only chunk is not.
TEST(OpenAiStreamPassThrough, KnowsWhenContentBegan) {
  OpenAiStreamPassThrough t(false);
  t.watchForContent();
  std::string out;
  Usage usage;
  ASSERT_TRUE(t.onBytes(
      "data: {\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}\n\n",
      out, usage));
  EXPECT_FALSE(t.sawContent());
  ASSERT_TRUE(
      t.onBytes("data: {\"choices\": [{\"delta\": {\"content\": \"Hi\"}}]}\n\n", out, usage));
  EXPECT_TRUE(t.sawContent());

  for (const char* chunk :
       {R"({"choices":[{"delta":{"reasoning_content":"hm"}}]})",
        R"({"choices":[{"text":"legacy"}]})", R"({"choices":[{"delta":{"tool_calls":[]}}]})",
        R"({"choices":[{"delta":{},"finish_reason":"stop"}]})", "[DONE]"}) {
    OpenAiStreamPassThrough fresh(false);
    fresh.watchForContent();
    ASSERT_TRUE(fresh.onBytes("data: " + std::string(chunk) + "\n\n", out, usage));
    EXPECT_TRUE(fresh.sawContent()) << chunk;
  }
}

}  // namespace
}  // namespace switchyard
