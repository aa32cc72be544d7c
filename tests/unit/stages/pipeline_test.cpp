#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_future.hpp>

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
  size_t ran = 0;
  auto done = asio::co_spawn(io, p.runPre(ctx, ran), asio::use_future);
  io.run();
  const Outcome o = done.get();
  EXPECT_EQ(o.kind, Outcome::Kind::kFail);
  EXPECT_EQ(o.error.status, 400);
  EXPECT_EQ(ran, 3u);
  EXPECT_EQ(log, (std::vector<std::string>{"pre a", "pre w", "pre c"}));
}

}  // namespace
}  // namespace switchyard
