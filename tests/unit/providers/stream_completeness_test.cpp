// A translated stream whose provider sent its end-of-message event but no usage is a complete
// answer with unknown usage; one cut before that event stays incomplete. One case per provider,
// through what an OpenAI client would read.

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "providers/anthropic/anthropic_stream.hpp"
#include "providers/bedrock/bedrock_stream.hpp"
#include "providers/bedrock/chunk_assembly.hpp"
#include "providers/cohere/cohere_adapter.hpp"
#include "providers/gemini/gemini_translate.hpp"
#include "providers/ollama/ollama_adapter.hpp"
#include "providers/sagemaker/sagemaker_adapter.hpp"
#include "providers/text_completion/text_completion_adapter.hpp"
#include "support/openai_chunks.hpp"

namespace switchyard {
namespace {

using Events = std::vector<std::pair<std::string, std::string>>;  // (event name, data)

struct Outcome {
  bool finished = false;
  Usage usage;
  testing::Assembled seen;
};

// Feeds the events, then closes the stream as the attempt loop does.
template <class Decoder, class... Args>
Outcome replay(const Events& events, Args&&... args) {
  testing::OpenAiChunks<Decoder> t(true, std::forward<Args>(args)...);
  std::string out;
  Outcome o;
  for (const auto& [event, data] : events) {
    auto ok = t.onEvent(event, data, out, o.usage);
    EXPECT_TRUE(ok) << ok.error().message;
  }
  t.onUpstreamEnd(out, o.usage);
  o.finished = t.finished();
  o.seen = testing::assemble(out);
  return o;
}

void expectCompleteWithoutUsage(const Outcome& o, const std::string& text) {
  EXPECT_TRUE(o.finished);
  EXPECT_TRUE(o.seen.done) << "the client gets [DONE]";
  EXPECT_EQ(o.seen.content, text);
  ASSERT_EQ(o.seen.finishReasons.size(), 1u);
  EXPECT_EQ(o.seen.finishReasons[0], "stop");
  EXPECT_FALSE(o.usage.present);
  EXPECT_EQ(o.seen.usageChunks, 0);
}

void expectIncomplete(const Outcome& o) {
  EXPECT_FALSE(o.finished);
  EXPECT_FALSE(o.seen.done);
}

Events withoutLast(Events e, size_t n = 1) {
  e.resize(e.size() - n);
  return e;
}

TEST(StreamCompleteness, BedrockMessageStopWithoutMetadata) {
  const Events events = {
      {"messageStart", R"({"role":"assistant"})"},
      {"contentBlockDelta", R"({"contentBlockIndex":0,"delta":{"text":"Hello"}})"},
      {"contentBlockStop", R"({"contentBlockIndex":0})"},
      {"messageStop", R"({"stopReason":"end_turn"})"},
  };
  expectCompleteWithoutUsage(replay<BedrockStreamDecoder>(events, "claude"), "Hello");
  expectIncomplete(replay<BedrockStreamDecoder>(withoutLast(events), "claude"));
  // With metadata it completes as before, with the usage.
  Events full = events;
  full.push_back({"metadata", R"({"usage":{"inputTokens":3,"outputTokens":1,"totalTokens":4}})"});
  const auto o = replay<BedrockStreamDecoder>(full, "claude");
  EXPECT_TRUE(o.finished);
  EXPECT_TRUE(o.usage.present);
  EXPECT_EQ(o.usage.totalTokens, 4);
}

TEST(StreamCompleteness, AnthropicMessageStopWithoutUsage) {
  const Events events = {
      {"message_start",
       R"({"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant",)"
       R"("model":"claude","content":[],"stop_reason":null}})"},
      {"content_block_start",
       R"({"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}})"},
      {"content_block_delta",
       R"({"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hello"}})"},
      {"content_block_stop", R"({"type":"content_block_stop","index":0})"},
      {"message_delta", R"({"type":"message_delta","delta":{"stop_reason":"end_turn"}})"},
      {"message_stop", R"({"type":"message_stop"})"},
  };
  expectCompleteWithoutUsage(replay<anthropic::AnthropicStreamDecoder>(events, false), "Hello");
  expectIncomplete(replay<anthropic::AnthropicStreamDecoder>(withoutLast(events), false));
}

TEST(StreamCompleteness, GeminiFinishReasonWithoutUsageMetadata) {
  const Events events = {
      {"", R"({"candidates":[{"content":{"role":"model","parts":[{"text":"Hel"}]},"index":0}]})"},
      {"", R"({"candidates":[{"content":{"role":"model","parts":[{"text":"lo"}]},)"
           R"("finishReason":"STOP","index":0}]})"},
  };
  expectCompleteWithoutUsage(replay<GeminiStreamDecoder>(events, "gemini"), "Hello");
  expectIncomplete(replay<GeminiStreamDecoder>(withoutLast(events), "gemini"));
}

TEST(StreamCompleteness, CohereMessageEndWithoutUsage) {
  const Events events = {
      {"message-start",
       R"({"type":"message-start","id":"c1","delta":{"message":{"role":"assistant"}}})"},
      {"content-delta",
       R"({"type":"content-delta","index":0,"delta":{"message":{"content":{"text":"Hello"}}}})"},
      {"content-end", R"({"type":"content-end","index":0})"},
      {"message-end", R"({"type":"message-end","delta":{"finish_reason":"COMPLETE"}})"},
  };
  expectCompleteWithoutUsage(replay<CohereStreamDecoder>(events, "command-r"), "Hello");
  expectIncomplete(replay<CohereStreamDecoder>(withoutLast(events), "command-r"));
}

TEST(StreamCompleteness, OllamaDoneWithoutCounts) {
  // An Ollama line is one event; done: true is the end, its counts may be left out.
  const Events events = {
      {"", R"({"model":"m","message":{"role":"assistant","content":"Hello"},"done":false})"},
      {"", R"({"model":"m","message":{"role":"assistant","content":""},"done":true,)"
           R"("done_reason":"stop"})"},
  };
  expectCompleteWithoutUsage(replay<OllamaStreamDecoder>(events, "llama"), "Hello");
  expectIncomplete(replay<OllamaStreamDecoder>(withoutLast(events), "llama"));
}

TEST(StreamCompleteness, LegacyCompletionsFinishWithoutUsage) {
  // A host that ignores stream_options: the finish reason, then the stream closes.
  const Events events = {
      {"", R"({"id":"cmpl-1","choices":[{"text":"Hel","index":0,"finish_reason":null}]})"},
      {"", R"({"id":"cmpl-1","choices":[{"text":"lo","index":0,"finish_reason":"stop"}]})"},
  };
  expectCompleteWithoutUsage(replay<TextCompletionStreamDecoder>(events, "instruct"), "Hello");
  expectIncomplete(replay<TextCompletionStreamDecoder>(withoutLast(events), "instruct"));
}

TEST(StreamCompleteness, TgiEndsWithItsDetailsEvent) {
  // TGI has no usage event: the last token event's details end the answer, and its counts are
  // the generated tokens and the prompt counted.
  const Events events = {
      {"", R"({"token":{"text":"Hello","special":false},"generated_text":null,"details":null})"},
      {"", R"({"token":{"text":"</s>","special":true},"generated_text":"Hello",)"
           R"("details":{"finish_reason":"eos_token","generated_tokens":2}})"},
  };
  const auto o = replay<TgiStreamDecoder>(events, "jumpstart", "Hi");
  EXPECT_TRUE(o.finished);
  EXPECT_EQ(o.seen.content, "Hello");
  EXPECT_EQ(o.usage.completionTokens, 2);
  expectIncomplete(replay<TgiStreamDecoder>(withoutLast(events), "jumpstart", "Hi"));
}

}  // namespace
}  // namespace switchyard
