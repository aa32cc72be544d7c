// An early answer kept as events (what a cache hit holds) replayed in the client's format,
// streamed or whole, and through the answer filters of the stages that ran.

#include "routing/answer_replay.hpp"

#include <gtest/gtest.h>

#include <boost/asio.hpp>

#include "api/anthropic/messages_request.hpp"
#include "api/openai/parse_request.hpp"
#include "providers/openai/openai_answer.hpp"
#include "routing/buffer_sink.hpp"
#include "support/scripted_upstream.hpp"

namespace switchyard {
namespace {

std::shared_ptr<const RecordedAnswer> recorded(std::string_view text) {
  auto answer = std::make_shared<RecordedAnswer>();
  EXPECT_TRUE(decodeOpenAiAnswer(test::chatAnswer(text), *answer));
  EXPECT_TRUE(answer->complete());
  return answer;
}

// Upper-cases every text delta on its way to the client: a stage that rewrites the answer.
class ShoutingFilter final : public AnswerFilter {
 public:
  void onEvent(const StreamEvent& e) override {
    if (e.kind != StreamEvent::Kind::kText) return next().onEvent(e);
    std::string loud(e.text);
    for (char& c : loud) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    StreamEvent copy = e;
    copy.text = loud;
    next().onEvent(copy);
  }
};
class Shouting final : public Stage {
 public:
  std::string_view name() const override { return "shouting"; }
  bool watchesAnswer() const override { return true; }
  std::unique_ptr<AnswerFilter> filterAnswer(RequestContext&) override {
    return std::make_unique<ShoutingFilter>();
  }
};

struct Replayed {
  std::optional<Error> error;
  BufferSink sink;
};

Replayed replay(RequestContext& ctx, const Pipeline& pipeline, const RecordedAnswer& answer) {
  boost::asio::io_context ioc;
  Replayed out;
  boost::asio::co_spawn(
      ioc,
      [&]() -> Task<void> { out.error = co_await replayAnswer(pipeline, ctx, answer, out.sink); },
      boost::asio::detached);
  ioc.run();
  return out;
}

TEST(AnswerReplay, AWholeOpenAiAnswerIsAChatCompletion) {
  RequestContext ctx;
  ctx.request = *parseOpenAiRequest(Endpoint::kChatCompletions,
                                    R"({"model":"m","messages":[{"role":"user","content":"q"}]})",
                                    boost::json::storage_ptr(&ctx.arena));
  const Replayed r = replay(ctx, Pipeline{}, *recorded("kept answer"));
  ASSERT_FALSE(r.error);
  EXPECT_EQ(r.sink.status, 200);
  const auto body = boost::json::parse(r.sink.body).as_object();
  EXPECT_EQ(body.at("object"), "chat.completion");
  EXPECT_EQ(body.at("choices").as_array()[0].at("message").at("content"), "kept answer");
  EXPECT_EQ(body.at("usage").at("total_tokens"), 5);
}

TEST(AnswerReplay, AStreamingClientGetsTheRecordingAsAStream) {
  RequestContext ctx;
  ctx.request = *parseOpenAiRequest(
      Endpoint::kChatCompletions,
      R"({"model":"m","stream":true,"messages":[{"role":"user","content":"q"}]})",
      boost::json::storage_ptr(&ctx.arena));
  const Replayed r = replay(ctx, Pipeline{}, *recorded("streamed again"));
  ASSERT_FALSE(r.error);
  EXPECT_TRUE(r.sink.ended);
  EXPECT_TRUE(ctx.streamed);
  EXPECT_NE(r.sink.body.find("chat.completion.chunk"), std::string::npos);
  EXPECT_NE(r.sink.body.find("streamed again"), std::string::npos);
  EXPECT_NE(r.sink.body.find("data: [DONE]"), std::string::npos);
}

TEST(AnswerReplay, AnAnthropicClientGetsAMessageWhicheverFormatRecordedIt) {
  RequestContext ctx;
  ctx.request = *parseAnthropicRequest(
      R"({"model":"m","max_tokens":10,"messages":[{"role":"user","content":"q"}]})",
      boost::json::storage_ptr(&ctx.arena));
  const Replayed r = replay(ctx, Pipeline{}, *recorded("for claude users"));
  ASSERT_FALSE(r.error);
  const auto body = boost::json::parse(r.sink.body).as_object();
  EXPECT_EQ(body.at("type"), "message");
  EXPECT_EQ(body.at("content").as_array()[0].at("text"), "for claude users");
  EXPECT_EQ(body.at("stop_reason"), "end_turn");
}

TEST(AnswerReplay, TheAnswerFiltersOfTheStagesThatRanSeeTheReplay) {
  Pipeline pipeline;
  pipeline.add(std::make_unique<Shouting>());
  RequestContext ctx;
  ctx.request = *parseOpenAiRequest(Endpoint::kChatCompletions,
                                    R"({"model":"m","messages":[{"role":"user","content":"q"}]})",
                                    boost::json::storage_ptr(&ctx.arena));
  ctx.stagesRan = 1;
  const Replayed loud = replay(ctx, pipeline, *recorded("quiet words"));
  EXPECT_NE(loud.sink.body.find("QUIET WORDS"), std::string::npos);
  ctx.stagesRan = 0;  // the stage's pre step did not run: neither does its filter
  const Replayed quiet = replay(ctx, pipeline, *recorded("quiet words"));
  EXPECT_NE(quiet.sink.body.find("quiet words"), std::string::npos);
}

}  // namespace
}  // namespace switchyard
