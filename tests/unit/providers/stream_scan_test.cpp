// The scans that read the common stream chunks without a JSON tree: what they read, and every
// shape they leave to the tree (which the decoders' own tests and the conformance suite cover).
#include <gtest/gtest.h>

#include "providers/anthropic/anthropic_delta_scan.hpp"
#include "providers/openai/openai_chunk_scan.hpp"

namespace switchyard {
namespace {

TEST(ChunkScan, ReadsATextDeltaWithEscapesAndFinish) {
  ChunkScan s;
  ASSERT_TRUE(s.read(
      R"({"id":"c1","object":"chat.completion.chunk","created":7,"model":"m","system_fingerprint":)"
      R"("fp","choices":[{"delta":{"role":"assistant","content":"a\"b\n\u00e9","refusal":null,)"
      R"("tool_calls":null},"logprobs":{"content":[{"token":"x"}]},"index":1,"finish_reason":)"
      R"("stop","stop_reason":"END"}],"usage":null,"error":null,"extra":{"k":[1,{"a":2}]}})"));
  EXPECT_EQ(s.id, "c1");
  EXPECT_EQ(s.model, "m");
  EXPECT_EQ(s.created, 7);
  ASSERT_EQ(s.choiceCount, 1u);
  const auto& c = s.choices[0];
  EXPECT_EQ(c.index, 1);
  EXPECT_TRUE(c.hasText);
  EXPECT_EQ(c.text, "a\"b\n\xc3\xa9");
  EXPECT_EQ(c.refusal, "");
  EXPECT_EQ(c.finishReason, "stop");
  EXPECT_EQ(c.stopReason, "END");
}

TEST(ChunkScan, ReadsSeveralChoicesAndForgetsThePreviousChunk) {
  ChunkScan s;
  ASSERT_TRUE(s.read(R"({"id":"a","choices":[{"index":0,"delta":{"content":"x"}},)"
                     R"({"index":1,"delta":{"refusal":"no"}}]})"));
  ASSERT_EQ(s.choiceCount, 2u);
  EXPECT_EQ(s.choices[1].refusal, "no");
  EXPECT_FALSE(s.choices[1].hasText);
  ASSERT_TRUE(s.read(R"({"choices":[{"delta":{},"finish_reason":null}]})"));
  EXPECT_EQ(s.id, "");
  ASSERT_EQ(s.choiceCount, 1u);
  EXPECT_FALSE(s.choices[0].hasText);
  EXPECT_EQ(s.choices[0].finishReason, "");
}

TEST(ChunkScan, LeavesEveryOtherShapeToTheTree) {
  ChunkScan s;
  for (const char* chunk : {
           R"({"choices":[{"delta":{"tool_calls":[{"index":0}]}}]})",
           R"({"choices":[{"delta":{"reasoning_content":"think"}}]})",
           R"({"choices":[{"delta":{"content":[{"type":"text","text":"x"}]}}]})",
           R"({"choices":[],"usage":{"prompt_tokens":1}})",
           R"({"x_groq":{"usage":{}}})",
           R"({"error":{"message":"boom"}})",
           R"({"choices":["not an object"]})",
           R"({"choices":null})",
           R"({"id":"a","id":"b"})",
           R"({"choices":[{"delta":{"content":"a","content":"b"}}]})",
           R"([1,2])",
           R"("text")",
           R"({"choices":[)",
           R"({} trailing)",
       }) {
    EXPECT_FALSE(s.read(chunk)) << chunk;
  }
}

TEST(DeltaScan, ReadsATextDelta) {
  anthropic::DeltaScan s;
  ASSERT_TRUE(s.read("content_block_delta",
                     R"({"type":"content_block_delta","index":2,"delta":{"type":"text_delta",)"
                     R"("text":"hi \"there\"","extra":[{"a":1}]},"other":{"b":[]}})"));
  EXPECT_EQ(s.index, 2);
  EXPECT_TRUE(s.hasDelta);
  EXPECT_EQ(s.deltaType, "text_delta");
  EXPECT_EQ(s.text, "hi \"there\"");
  // The SSE event's name stands in for a missing type; a negative index is none.
  ASSERT_TRUE(s.read("content_block_delta",
                     R"({"index":-1,"delta":{"type":"input_json_delta","partial_json":"{"}})"));
  EXPECT_EQ(s.index, -1);
  EXPECT_EQ(s.partialJson, "{");
  EXPECT_EQ(s.text, "");
  ASSERT_TRUE(s.read("", R"({"type":"content_block_delta","index":0,"delta":null})"));
  EXPECT_FALSE(s.hasDelta);
}

TEST(DeltaScan, LeavesOtherEventsAndShapesToTheTree) {
  anthropic::DeltaScan s;
  for (const char* data : {
           R"({"type":"message_delta","delta":{"stop_reason":"end_turn"}})",
           R"({"type":"ping"})",
           R"({"type":"content_block_delta","delta":{"text":{"nested":1}}})",
           R"({"type":"content_block_delta","delta":[]})",
           R"({"type":"content_block_delta","index":0,"index":1})",
           R"({"type":"content_block_delta","delta":{"text":"a","text":"b"}})",
           R"({"type":"content_block_delta")",
           R"([])",
       }) {
    EXPECT_FALSE(s.read("content_block_delta", data)) << data;
  }
  EXPECT_FALSE(s.read("message_stop", R"({"index":0})"));
}

}  // namespace
}  // namespace switchyard
