#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_future.hpp>

#include "api/openai/chat_stream_encoder.hpp"
#include "config/snapshot.hpp"
#include "core/async.hpp"
#include "stages/stage.hpp"

namespace switchyard {
namespace {

namespace asio = boost::asio;

// Records the order of pre and post steps; answers with `outcome` from its pre step.
class Probe : public Stage {
 public:
  Probe(std::string name, std::vector<std::string>& log, Outcome outcome = Outcome::next())
      : name_(std::move(name)), log_(log), outcome_(std::move(outcome)) {}
  std::string_view name() const override { return name_; }
  Outcome pre(RequestContext&) override {
    log_.push_back("pre " + name_);
    return outcome_;
  }
  void post(RequestContext&) override { log_.push_back("post " + name_); }

 protected:
  std::string name_;
  std::vector<std::string>& log_;
  Outcome outcome_;
};

// A stage that has to wait (as a remote cache would) before it decides.
class WaitingProbe : public Probe {
 public:
  using Probe::Probe;
  bool waits() const override { return true; }
  Task<Outcome> preAsync(RequestContext& ctx) override {
    co_await asio::post(co_await asio::this_coro::executor, kUseAwaitable);
    co_return pre(ctx);
  }
};

TEST(Pipeline, MemoryOnlyStagesRunWithoutWaiting) {
  std::vector<std::string> log;
  Pipeline p;
  p.add(std::make_unique<Probe>("a", log));
  p.add(std::make_unique<Probe>("b", log, Outcome::respond(200, "{}")));
  p.add(std::make_unique<Probe>("c", log));
  EXPECT_FALSE(p.waits());
  RequestContext ctx;
  size_t ran = 0;
  Outcome o = p.runPreNow(ctx, ran);
  EXPECT_EQ(o.kind, Outcome::Kind::kRespond);
  EXPECT_EQ(ran, 2u);
  p.runPost(ctx, ran);
  EXPECT_EQ(log, (std::vector<std::string>{"pre a", "pre b", "post b", "post a"}));
}

TEST(Pipeline, AWaitingStageIsAwaitedInItsTurn) {
  std::vector<std::string> log;
  Pipeline p;
  p.add(std::make_unique<Probe>("a", log));
  p.add(std::make_unique<WaitingProbe>("w", log));
  p.add(
      std::make_unique<Probe>("c", log, Outcome::fail(Error::make(ErrorClass::kBadRequest, "no"))));
  EXPECT_TRUE(p.waits());
  asio::io_context io;
  RequestContext ctx;
  ctx.snapshot = std::make_shared<Snapshot>();  // a stage decides from it whether it waits
  size_t ran = 0;
  auto done = asio::co_spawn(io, p.runPre(ctx, ran), asio::use_future);
  io.run();
  const Outcome o = done.get();
  EXPECT_EQ(o.kind, Outcome::Kind::kFail);
  EXPECT_EQ(o.error.status, 400);
  EXPECT_EQ(ran, 3u);
  EXPECT_EQ(log, (std::vector<std::string>{"pre a", "pre w", "pre c"}));
}

// A stage that watches answers: its filter tags each text delta with the stage's name, so the
// order filters see events in shows in the text.
class Tagger : public Probe {
 public:
  using Probe::Probe;
  bool watchesAnswer() const override { return true; }
  std::unique_ptr<AnswerFilter> filterAnswer(RequestContext&) override {
    return std::make_unique<Filter>(name_);
  }

 private:
  struct Filter final : AnswerFilter {
    explicit Filter(std::string tag) : tag(std::move(tag)) {}
    void onEvent(const StreamEvent& e) override {
      if (e.kind != StreamEvent::Kind::kText) return next().onEvent(e);
      const std::string text = std::string(e.text) + "+" + tag;
      next().onEvent(StreamEvent::delta(StreamEvent::Kind::kText, text, e.choice));
    }
    std::string tag;
  };
};

TEST(Pipeline, AnswerFiltersRewriteEventsLastStageFirst) {
  std::vector<std::string> log;
  Pipeline p;
  p.add(std::make_unique<Tagger>("outer", log));
  p.add(std::make_unique<Probe>("plain", log));
  p.add(std::make_unique<Tagger>("inner", log));
  EXPECT_TRUE(p.watchesAnswer());
  RequestContext ctx;
  size_t ran = 0;
  ASSERT_EQ(p.runPreNow(ctx, ran).kind, Outcome::Kind::kContinue);

  auto filters = p.answerFilters(ctx, ran);
  ASSERT_EQ(filters.size(), 2u);  // the plain stage makes none
  OpenAiChatStreamEncoder client(false);
  EventSink& first = chainFilters(filters, client);
  first.onEvent(StreamEvent::start("id", "m", 1));
  first.onEvent(StreamEvent::delta(StreamEvent::Kind::kText, "hi"));
  first.onEvent(StreamEvent::finish("stop"));
  first.onEvent(StreamEvent::end());
  EXPECT_NE(client.output().find(R"("content":"hi+inner+outer")"), std::string::npos)
      << client.output();
  EXPECT_TRUE(client.output().ends_with("data: [DONE]\n\n"));
}

TEST(Pipeline, OnlyStagesWhosePreRanFilterTheAnswer) {
  std::vector<std::string> log;
  Pipeline p;
  p.add(
      std::make_unique<Tagger>("a", log, Outcome::fail(Error::make(ErrorClass::kForbidden, "no"))));
  p.add(std::make_unique<Tagger>("b", log));
  RequestContext ctx;
  size_t ran = 0;
  p.runPreNow(ctx, ran);
  EXPECT_EQ(p.answerFilters(ctx, ran).size(), 1u);
}

TEST(Pipeline, WithoutWatchersNoFiltersAreMade) {
  std::vector<std::string> log;
  Pipeline p;
  p.add(std::make_unique<Probe>("a", log));
  EXPECT_FALSE(p.watchesAnswer());
  RequestContext ctx;
  EXPECT_TRUE(p.answerFilters(ctx, 1).empty());
}

}  // namespace
}  // namespace switchyard
