// A recorded answer replays into any client format exactly as the live answer encoded: a stream
// recorded once serves an OpenAI or an Anthropic client, streamed or whole.

#include <gtest/gtest.h>

#include "api/anthropic/messages_request.hpp"
#include "api/anthropic/messages_response.hpp"
#include "api/anthropic/messages_stream_encoder.hpp"
#include "api/events/recorded_answer.hpp"
#include "api/openai/chat_answer_encoder.hpp"
#include "api/openai/chat_stream_encoder.hpp"
#include "providers/openai/openai_stream.hpp"
#include "support/fixtures.hpp"

namespace switchyard {
namespace {

// Sends every event to both sinks.
struct Tee final : EventSink {
  Tee(EventSink& a, EventSink& b) : a(a), b(b) {}
  void onEvent(const StreamEvent& e) override {
    a.onEvent(e);
    b.onEvent(e);
  }
  EventSink& a;
  EventSink& b;
};

ApiRequest anthropicRequest() {
  auto r = parseAnthropicRequest(
      R"({"model":"m","max_tokens":64,"stream":true,"messages":[{"role":"user","content":"q"}]})");
  return r ? *r : ApiRequest{};
}

std::string openAiWire(const std::string& fixture) {
  std::string wire;
  for (const auto& line : testing::readChunks(fixture)) wire += "data: " + line + "\n\n";
  return wire + "data: [DONE]\n\n";
}

TEST(RecordedAnswer, ReplaysIntoEveryClientFormatAsTheLiveAnswerEncoded) {
  for (const char* fixture :
       {"openai/deepseek-tool-call.chunks.txt", "openai-compatible/deepseek-reasoning.chunks.txt",
        "openai-compatible/groq-tool-call.chunks.txt"}) {
    SCOPED_TRACE(fixture);
    const ApiRequest anthropic = anthropicRequest();
    OpenAiChatStreamEncoder liveOpenAi(true);
    AnthropicStreamEncoder liveAnthropic(anthropic);
    Tee live(liveOpenAi, liveAnthropic);
    RecordedAnswer recorded;
    Tee both(live, recorded);
    OpenAiStreamDecoder decoder;
    ASSERT_TRUE(decoder.onBytes(openAiWire(fixture), both));
    ASSERT_TRUE(recorded.complete());
    EXPECT_GT(recorded.bytes(), 0u);

    OpenAiChatStreamEncoder replayedOpenAi(true);
    AnthropicStreamEncoder replayedAnthropic(anthropic);
    Tee replayed(replayedOpenAi, replayedAnthropic);
    recorded.replay(replayed);
    EXPECT_EQ(replayedOpenAi.output(), liveOpenAi.output());
    EXPECT_EQ(replayedAnthropic.output(), liveAnthropic.output());

    // A stream's recording answers a whole-answer request too.
    OpenAiChatAnswerEncoder whole;
    recorded.replay(whole);
    auto body = whole.body();
    ASSERT_TRUE(body);
    EXPECT_NE(body->find(R"("object":"chat.completion")"), std::string::npos);
    AnthropicAnswerEncoder wholeAnthropic(anthropic);
    recorded.replay(wholeAnthropic);
    EXPECT_TRUE(wholeAnthropic.body());
  }
}

TEST(RecordedAnswer, AnAnswerThatFailedIsNotComplete) {
  RecordedAnswer recorded;
  recorded.onEvent(StreamEvent::start("id", "m", 1));
  recorded.onEvent(StreamEvent::delta(StreamEvent::Kind::kText, "partial"));
  const Error e = Error::make(ErrorClass::kUpstreamServer, "cut");
  recorded.onEvent(StreamEvent::failure(e));
  recorded.onEvent(StreamEvent::end());
  EXPECT_FALSE(recorded.complete());

  RecordedAnswer unfinished;
  unfinished.onEvent(StreamEvent::start("id", "m", 1));
  EXPECT_FALSE(unfinished.complete());
}

}  // namespace
}  // namespace switchyard
