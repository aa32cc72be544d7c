// The executor against scripted upstreams on loopback: every routing rule of docs/config.md
// ("How a request is routed", "Hedged requests") at the level where plan, attempt and
// classification meet: failover, client errors, retries with backoff, Retry-After, fallbacks by
// error class, cooldowns, nothing available, streams that fail before and after their first
// content, the first-token bound, and hedged races.

#include "routing/attempt_executor.hpp"

#include <gtest/gtest.h>

#include <boost/asio.hpp>
#include <memory>

#include "api/openai/parse_request.hpp"
#include "client/upstream_pool.hpp"
#include "routing/buffer_sink.hpp"
#include "routing/deployment_state.hpp"
#include "support/scripted_upstream.hpp"

namespace switchyard {
namespace {

using test::chatAnswer;
using test::chatStream;
using test::openAiError;
using test::ScriptedUpstream;
using test::UpstreamStep;
using namespace std::chrono_literals;

constexpr std::string_view kChat =
    R"({"model":"chat","messages":[{"role":"user","content":"hi"}]})";
constexpr std::string_view kStreamChat =
    R"({"model":"chat","stream":true,"messages":[{"role":"user","content":"hi"}]})";

// A gateway's worth of routing around scripted upstreams: one io_context runs both.
class ExecutorTest : public ::testing::Test {
 protected:
  ExecutorTest() {
    snapshot_->router.backoffBase = 1ms;
    snapshot_->router.backoffMax = 2ms;
  }

  // A deployment of `group` answered by a new upstream with `script`.
  ScriptedUpstream& upstream(const std::string& group, std::vector<UpstreamStep> script) {
    upstreams_.push_back(std::make_unique<ScriptedUpstream>(ioc_, std::move(script)));
    auto d = std::make_shared<Deployment>();
    d->id = group + "#" + std::to_string(snapshot_->deployments.size());
    d->modelName = group;
    d->provider = "openai";
    d->upstreamModel = "m";
    d->apiKey = "k";
    d->apiBase = *parseUrl(upstreams_.back()->url() + "/v1");
    d->timeout = 2s;
    d->streamTimeout = 2s;
    d->order = static_cast<int64_t>(snapshot_->deployments.size());  // tried in this order
    snapshot_->groups[group].push_back(snapshot_->deployments.size());
    snapshot_->deployments.push_back(d);
    return *upstreams_.back();
  }
  RouterSettings& router() { return snapshot_->router; }
  DeploymentState& state(size_t i) { return *snapshot_->deployments[i]->state; }

  // A request for `body` on this test's config.
  void prepare(RequestContext& ctx, std::string_view body) {
    ctx.snapshot = snapshot_;
    auto parsed =
        parseOpenAiRequest(Endpoint::kChatCompletions, body, boost::json::storage_ptr(&ctx.arena));
    ASSERT_TRUE(parsed);
    ctx.request = std::move(*parsed);
  }
  AttemptEnv env() { return {ioc_.get_executor(), pool_, pipeline_, rng_}; }

  struct Run {
    std::optional<Error> error;
    BufferSink sink;
    int attempts = 0;
    int retries = 0;
    int fallbacks = 0;
    int hedges = 0;
    std::string deployment;
    std::chrono::steady_clock::duration took{};
    // The attempt trail: "<deployment> <reason> <outcome> <status>[ <error>]" per attempt,
    // joined by "; ", and how many attempts the trail only counted.
    std::string trail;
    int trailMore = 0;
    std::vector<uint32_t> latenciesUs;
  };

  // One request through the executor; the upstreams are stopped when it is done unless another
  // request follows.
  Run run(std::string_view body, bool stopAfter = true) {
    Run r;
    asio::co_spawn(
        ioc_,
        [&]() -> Task<void> {
          RequestContext ctx;
          prepare(ctx, body);
          const AttemptEnv env = this->env();
          AttemptPlanner planner(ctx.snapshot, ctx.request.model, nullptr, ctx.request.stream, rng_,
                                 ctx.start);
          const auto t0 = std::chrono::steady_clock::now();
          r.error = co_await executeAttempts(env, ctx, planner, r.sink);
          r.took = std::chrono::steady_clock::now() - t0;
          r.attempts = ctx.attempts;
          r.retries = ctx.retries;
          r.fallbacks = ctx.fallbacks;
          r.hedges = ctx.hedges;
          r.deployment = ctx.deployment ? ctx.deployment->id : "";
          for (const AttemptRecord& a : ctx.attemptTrail.records()) {
            if (!r.trail.empty()) r.trail += "; ";
            r.trail += a.deployment->id + " " + std::string(attemptReasonName(a.reason)) + " " +
                       std::string(attemptOutcomeName(a.outcome)) + " " + std::to_string(a.status);
            if (a.outcome == AttemptOutcome::kFailed ||
                a.outcome == AttemptOutcome::kBrokeMidStream) {
              r.trail += " " + std::string(errorClassName(a.error));
            }
            r.latenciesUs.push_back(a.latencyUs);
          }
          r.trailMore = ctx.attemptTrail.more();
          // Upstreams kept for a next request: the io_context stops with them still listening.
          if (stopAfter) {
            stopUpstreams();
          } else {
            ioc_.stop();
          }
        },
        asio::detached);
    ioc_.restart();
    ioc_.run();
    return r;
  }
  void stopUpstreams() {
    for (auto& u : upstreams_) u->stop();
    pool_.closeAll();
  }

  asio::io_context ioc_;
  UpstreamPool pool_{ioc_.get_executor(), nullptr};
  Pipeline pipeline_;
  FastRandom rng_{11};
  std::shared_ptr<Snapshot> snapshot_ = std::make_shared<Snapshot>();
  std::vector<std::unique_ptr<ScriptedUpstream>> upstreams_;
};

bool says(const std::string& body, std::string_view text) {
  return body.find(text) != std::string::npos;
}

TEST_F(ExecutorTest, AFailedDeploymentFailsOverToTheNextAtOnce) {
  auto& a = upstream("chat", {UpstreamStep::json(500, openAiError("boom"))});
  auto& b = upstream("chat", {UpstreamStep::json(200, chatAnswer("from b"))});
  const Run r = run(kChat);
  ASSERT_FALSE(r.error);
  EXPECT_EQ(r.sink.status, 200);
  EXPECT_TRUE(says(r.sink.body, "from b"));
  EXPECT_EQ(a.requests(), 1);
  EXPECT_EQ(b.requests(), 1);
  EXPECT_EQ(r.attempts, 2);
  EXPECT_EQ(r.retries, 1);  // an attempt in the group after its first
  EXPECT_EQ(r.sink.header("x-switchyard-deployment"), "chat#1");
  EXPECT_EQ(r.sink.header("x-switchyard-attempts"), "2");
  EXPECT_EQ(state(0).totalFailures(), 1u);
  EXPECT_EQ(r.trail, "chat#0 first failed 500 upstream_server; chat#1 retry answered 200");
}

TEST_F(ExecutorTest, TheClientsOwnErrorIsNotRetriedAnywhere) {
  auto& a = upstream("chat", {UpstreamStep::json(400, openAiError("bad field"))});
  auto& b = upstream("chat", {UpstreamStep::json(200, chatAnswer("never"))});
  const Run r = run(kChat);
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->status, 400);
  EXPECT_EQ(r.error->cls, ErrorClass::kBadRequest);
  EXPECT_EQ(a.requests(), 1);
  EXPECT_EQ(b.requests(), 0);
  EXPECT_EQ(r.sink.status, 0);  // nothing was answered: the caller writes the error
  EXPECT_EQ(r.sink.header("x-switchyard-attempts"), "1");
}

TEST_F(ExecutorTest, RetriesWithBackoffAfterEveryDeploymentWasTried) {
  router().numRetries = 2;
  auto& a = upstream("chat", {UpstreamStep::json(503, openAiError("busy")),
                              UpstreamStep::json(503, openAiError("busy")),
                              UpstreamStep::json(200, chatAnswer("third time"))});
  const Run r = run(kChat);
  ASSERT_FALSE(r.error);
  EXPECT_TRUE(says(r.sink.body, "third time"));
  EXPECT_EQ(a.requests(), 3);
  EXPECT_EQ(r.attempts, 3);
  EXPECT_EQ(r.retries, 2);
  EXPECT_EQ(r.sink.header("x-switchyard-retries"), "2");
  EXPECT_EQ(r.trail,
            "chat#0 first failed 503 upstream_server; chat#0 retry failed 503 upstream_server; "
            "chat#0 retry answered 200");
}

TEST_F(ExecutorTest, WhenRetriesRunOutTheLastUpstreamErrorIsTheAnswer) {
  router().numRetries = 1;
  auto& a = upstream("chat", {UpstreamStep::json(500, openAiError("still broken"))});
  const Run r = run(kChat);
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->cls, ErrorClass::kUpstreamServer);
  EXPECT_TRUE(says(r.error->message, "still broken"));
  EXPECT_EQ(a.requests(), 2);
  EXPECT_EQ(r.sink.header("x-switchyard-attempts"), "2");
  EXPECT_EQ(r.sink.header("x-switchyard-retries"), "1");
}

TEST_F(ExecutorTest, RetryPolicyPerClassOverridesNumRetries) {
  router().numRetries = 3;
  router().retriesByClass[static_cast<size_t>(ErrorClass::kRateLimited)] = 0;
  auto& a = upstream("chat", {UpstreamStep::json(429, openAiError("slow down"))});
  const Run r = run(kChat);
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->cls, ErrorClass::kRateLimited);
  EXPECT_EQ(a.requests(), 1);
}

TEST_F(ExecutorTest, AnUpstreamsRetryAfterIsWaitedForBeforeTheRetry) {
  router().numRetries = 1;
  UpstreamStep limited = UpstreamStep::json(429, openAiError("slow down"));
  limited.extraHeaders = "Retry-After: 1\r\n";
  auto& a = upstream("chat", {limited, UpstreamStep::json(200, chatAnswer("later"))});
  const Run r = run(kChat);
  ASSERT_FALSE(r.error);
  EXPECT_EQ(a.requests(), 2);
  EXPECT_GE(r.took, 900ms);
}

TEST_F(ExecutorTest, ARetryAfterLongerThanMaxRetryWaitGoesToTheFallbackInstead) {
  router().numRetries = 1;
  router().maxRetryWait = 100ms;
  router().fallbacks["chat"] = {"backup"};
  UpstreamStep limited = UpstreamStep::json(429, openAiError("come back in an hour"));
  limited.extraHeaders = "Retry-After: 3600\r\n";
  auto& a = upstream("chat", {limited});
  auto& b = upstream("backup", {UpstreamStep::json(200, chatAnswer("backup answered"))});
  const Run r = run(kChat);
  ASSERT_FALSE(r.error);
  EXPECT_TRUE(says(r.sink.body, "backup answered"));
  EXPECT_EQ(a.requests(), 1);
  EXPECT_EQ(b.requests(), 1);
  EXPECT_LT(r.took, 1s);
}

TEST_F(ExecutorTest, AnExhaustedGroupFallsBackToItsFallbackGroups) {
  router().numRetries = 0;
  router().fallbacks["chat"] = {"second", "third"};
  upstream("chat", {UpstreamStep::json(502, openAiError("down"))});
  auto& second = upstream("second", {UpstreamStep::json(500, openAiError("down too"))});
  auto& third = upstream("third", {UpstreamStep::json(200, chatAnswer("third group"))});
  const Run r = run(kChat);
  ASSERT_FALSE(r.error);
  EXPECT_TRUE(says(r.sink.body, "third group"));
  EXPECT_EQ(second.requests(), 1);
  EXPECT_EQ(third.requests(), 1);
  EXPECT_EQ(r.fallbacks, 2);
  EXPECT_EQ(r.sink.header("x-switchyard-fallbacks"), "2");
  EXPECT_EQ(r.trail,
            "chat#0 first failed 502 upstream_server; second#1 fallback failed 500 "
            "upstream_server; third#2 fallback answered 200");
}

TEST_F(ExecutorTest, AContextWindowErrorLeavesTheGroupForItsContextWindowFallback) {
  router().numRetries = 2;
  router().fallbacks["chat"] = {"general"};
  router().contextWindowFallbacks["chat"] = {"long"};
  auto& a =
      upstream("chat", {UpstreamStep::json(400, openAiError("maximum context length is 8192 tokens",
                                                            "context_length_exceeded"))});
  auto& sibling = upstream("chat", {UpstreamStep::json(200, chatAnswer("same model"))});
  auto& general = upstream("general", {UpstreamStep::json(200, chatAnswer("general"))});
  auto& longer = upstream("long", {UpstreamStep::json(200, chatAnswer("long context"))});
  const Run r = run(kChat);
  ASSERT_FALSE(r.error);
  EXPECT_TRUE(says(r.sink.body, "long context"));
  EXPECT_EQ(a.requests(), 1);
  EXPECT_EQ(sibling.requests(), 0);  // its deployments share the model: not tried
  EXPECT_EQ(general.requests(), 0);
  EXPECT_EQ(longer.requests(), 1);
  EXPECT_EQ(r.trail,
            "chat#0 first failed 400 context_window_exceeded; long#3 context_window_fallback "
            "answered 200");
}

TEST_F(ExecutorTest, AContentPolicyRefusalGoesToTheContentPolicyFallback) {
  router().numRetries = 0;
  router().contentPolicyFallbacks["chat"] = {"lenient"};
  upstream("chat", {UpstreamStep::json(400, openAiError("flagged by the safety system",
                                                        "content_policy_violation"))});
  auto& lenient = upstream("lenient", {UpstreamStep::json(200, chatAnswer("lenient"))});
  const Run r = run(kChat);
  ASSERT_FALSE(r.error);
  EXPECT_TRUE(says(r.sink.body, "lenient"));
  EXPECT_EQ(lenient.requests(), 1);
  EXPECT_EQ(r.trail,
            "chat#0 first failed 400 content_policy; lenient#1 content_policy_fallback answered "
            "200");
}

TEST_F(ExecutorTest, ADeploymentOverAllowedFailsCoolsDownAndIsSkippedByTheNextRequest) {
  router().numRetries = 0;
  router().allowedFails = 0;
  router().cooldownTime = 60s;
  auto& a = upstream("chat", {UpstreamStep::json(500, openAiError("down")),
                              UpstreamStep::json(200, chatAnswer("from a"))});
  auto& b = upstream("chat", {UpstreamStep::json(200, chatAnswer("from b"))});
  const Run first = run(kChat, false);
  ASSERT_FALSE(first.error);
  EXPECT_EQ(state(0).breaker(RouterClock::now()), BreakerState::kOpen);
  const Run second = run(kChat);
  ASSERT_FALSE(second.error);
  EXPECT_TRUE(says(second.sink.body, "from b"));
  EXPECT_EQ(a.requests(), 1);  // cooling down: the second request never reached it
  EXPECT_EQ(b.requests(), 2);
  EXPECT_EQ(second.attempts, 1);
}

TEST_F(ExecutorTest, AGroupsOnlyDeploymentNeverCoolsDown) {
  router().numRetries = 0;
  router().allowedFails = 0;
  router().cooldownTime = 60s;
  auto& a = upstream("chat", {UpstreamStep::json(500, openAiError("down")),
                              UpstreamStep::json(200, chatAnswer("back"))});
  EXPECT_TRUE(run(kChat, false).error);
  const Run second = run(kChat);
  ASSERT_FALSE(second.error);
  EXPECT_EQ(a.requests(), 2);
}

TEST_F(ExecutorTest, WhenEveryDeploymentCoolsDownTheAnswerIsNoDeploymentAvailable) {
  router().numRetries = 0;
  router().allowedFails = 0;
  router().cooldownTime = 60s;
  upstream("chat", {UpstreamStep::json(500, openAiError("down"))});
  upstream("chat", {UpstreamStep::json(500, openAiError("down"))});
  EXPECT_TRUE(run(kChat, false).error);
  const Run r = run(kChat);
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->status, 429);
  EXPECT_EQ(r.error->code, "no_deployment_available");
  EXPECT_GT(r.error->retryAfterSeconds, 0);
  EXPECT_EQ(r.attempts, 0);
}

TEST_F(ExecutorTest, AStreamThatFailsBeforeItsFirstContentFailsOver) {
  auto& a = upstream("chat", {UpstreamStep::json(503, openAiError("overloaded"))});
  upstream("chat", {UpstreamStep::stream(chatStream("streamed by b"))});
  const Run r = run(kStreamChat);
  ASSERT_FALSE(r.error);
  EXPECT_TRUE(r.sink.ended);
  EXPECT_TRUE(says(r.sink.body, "streamed by b"));
  EXPECT_TRUE(says(r.sink.body, "[DONE]"));
  EXPECT_EQ(a.requests(), 1);
  EXPECT_EQ(r.attempts, 2);
}

TEST_F(ExecutorTest, AStreamThatBreaksAfterContentEndsWithAnErrorEventAndIsNotRetried) {
  UpstreamStep broken = UpstreamStep::stream(chatStream("half"));
  broken.events.resize(2);  // the role chunk and the content, then the connection closes
  broken.breakAfterEvents = true;
  upstream("chat", {broken});
  auto& b = upstream("chat", {UpstreamStep::stream(chatStream("never"))});
  const Run r = run(kStreamChat);
  ASSERT_FALSE(r.error);  // answered: the client already has content
  EXPECT_TRUE(says(r.sink.body, "half"));
  EXPECT_TRUE(says(r.sink.body, "\"error\""));
  EXPECT_TRUE(r.sink.connectionEnded);
  EXPECT_EQ(b.requests(), 0);
  EXPECT_EQ(state(0).totalFailures(), 1u);  // counted against its deployment
}

TEST_F(ExecutorTest, AStreamThatStallsBeforeItsFirstTokenFailsOverAfterStreamTtftTimeout) {
  router().streamTtftTimeout = 150ms;
  UpstreamStep stall = UpstreamStep::stream({});
  stall.stallAfterHead = true;
  auto& a = upstream("chat", {stall});
  auto& b = upstream("chat", {UpstreamStep::stream(chatStream("b was quick"))});
  const Run r = run(kStreamChat);
  ASSERT_FALSE(r.error);
  EXPECT_TRUE(says(r.sink.body, "b was quick"));
  EXPECT_EQ(a.requests(), 1);
  EXPECT_EQ(b.requests(), 1);
  EXPECT_GE(r.took, 150ms);
  EXPECT_LT(r.took, 1500ms);  // well before the 2 s stream timeout
  EXPECT_EQ(state(0).totalFailures(), 1u);
}

TEST_F(ExecutorTest, ContentThatArrivesSlowlyButBeforeTheTtftBoundIsKept) {
  router().streamTtftTimeout = 500ms;
  UpstreamStep slow = UpstreamStep::stream(chatStream("in time"));
  slow.between = 100ms;  // every gap is shorter than the bound
  upstream("chat", {slow});
  auto& b = upstream("chat", {UpstreamStep::stream(chatStream("never"))});
  const Run r = run(kStreamChat);
  ASSERT_FALSE(r.error);
  EXPECT_TRUE(says(r.sink.body, "in time"));
  EXPECT_EQ(b.requests(), 0);
}

TEST_F(ExecutorTest, AStreamingRequestAnsweredWithJsonIsABadUpstreamAndFailsOver) {
  upstream("chat", {UpstreamStep::json(200, chatAnswer("not a stream"))});
  auto& b = upstream("chat", {UpstreamStep::stream(chatStream("a real stream"))});
  const Run r = run(kStreamChat);
  ASSERT_FALSE(r.error);
  EXPECT_TRUE(says(r.sink.body, "a real stream"));
  EXPECT_EQ(b.requests(), 1);
}

TEST_F(ExecutorTest, ASlowFirstAttemptIsRacedAndTheFasterAnswerWins) {
  router().hedging["chat"] = HedgingPolicy{.delay = 100ms};
  auto& slow = upstream("chat", {UpstreamStep::json(200, chatAnswer("slow")).after(1500ms)});
  auto& fast = upstream("chat", {UpstreamStep::json(200, chatAnswer("fast"))});
  const Run r = run(kChat, false);
  ASSERT_FALSE(r.error);
  EXPECT_TRUE(says(r.sink.body, "fast"));
  EXPECT_EQ(r.sink.header("x-switchyard-hedged"), "true");
  EXPECT_EQ(r.sink.header("x-switchyard-deployment"), "chat#1");
  EXPECT_EQ(r.hedges, 1);
  EXPECT_EQ(r.attempts, 2);
  EXPECT_EQ(r.retries, 0);
  EXPECT_LT(r.took, 1s);
  EXPECT_EQ(slow.requests(), 1);
  EXPECT_EQ(fast.requests(), 1);
  EXPECT_EQ(r.trail, "chat#0 first cancelled 0; chat#1 hedge answered 200");
  // The loser is neither failed nor credited, and its in-flight count is released.
  EXPECT_EQ(state(0).totalFailures(), 0u);
  EXPECT_LT(state(0).latencyUs(), 0);
  EXPECT_EQ(state(0).inFlight(), 0);
  // Its upstream connection was closed at once: it finds nobody to answer.
  asio::steady_timer wait(ioc_, 1700ms);
  wait.async_wait([&](auto) { stopUpstreams(); });
  ioc_.restart();
  ioc_.run();
  EXPECT_EQ(slow.abandoned(), 1);
}

TEST_F(ExecutorTest, TheTrailKeepsItsFirstAttemptsAndCountsTheRest) {
  router().numRetries = 9;
  upstream("chat", {UpstreamStep::json(503, openAiError("busy"))});
  const Run r = run(kChat);
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.attempts, 10);
  ASSERT_EQ(r.latenciesUs.size(), AttemptTrail::kCapacity);
  EXPECT_EQ(r.trailMore, 10 - int(AttemptTrail::kCapacity));
  EXPECT_TRUE(r.trail.starts_with("chat#0 first failed 503 upstream_server; chat#0 retry failed"));
}

TEST_F(ExecutorTest, AnAttemptsTimeLeavesOutTheBackoffBeforeIt) {
  router().numRetries = 1;
  UpstreamStep limited = UpstreamStep::json(429, openAiError("slow down"));
  limited.extraHeaders = "Retry-After: 1\r\n";
  upstream("chat", {limited, UpstreamStep::json(200, chatAnswer("later"))});
  const Run r = run(kChat);
  ASSERT_FALSE(r.error);
  EXPECT_EQ(r.trail, "chat#0 first failed 429 rate_limited; chat#0 retry answered 200");
  ASSERT_EQ(r.latenciesUs.size(), 2u);
  // The request waited the Retry-After second between the attempts: neither one's own time
  // includes it, so they add up to the request's time less at least that second.
  const auto attemptsUs = int64_t(r.latenciesUs[0]) + int64_t(r.latenciesUs[1]);
  EXPECT_GE(std::chrono::duration_cast<std::chrono::microseconds>(r.took).count() - attemptsUs,
            999'000);
}

TEST_F(ExecutorTest, AFirstAttemptThatAnswersBeforeTheDelayIsNotRaced) {
  router().hedging["chat"] = HedgingPolicy{.delay = 500ms};
  upstream("chat", {UpstreamStep::json(200, chatAnswer("quick"))});
  auto& other = upstream("chat", {UpstreamStep::json(200, chatAnswer("never"))});
  const Run r = run(kChat);
  ASSERT_FALSE(r.error);
  EXPECT_TRUE(says(r.sink.body, "quick"));
  EXPECT_EQ(r.sink.header("x-switchyard-hedged"), "");
  EXPECT_EQ(other.requests(), 0);
}

TEST_F(ExecutorTest, AStreamIsRacedUntilItsFirstContentNotItsHead) {
  router().hedging["chat"] = HedgingPolicy{.delay = 100ms};
  UpstreamStep opensThenStalls = UpstreamStep::stream({});
  opensThenStalls.stallAfterHead = true;
  upstream("chat", {opensThenStalls});
  upstream("chat", {UpstreamStep::stream(chatStream("hedge streamed"))});
  const Run r = run(kStreamChat);
  ASSERT_FALSE(r.error);
  EXPECT_TRUE(says(r.sink.body, "hedge streamed"));
  EXPECT_EQ(r.sink.header("x-switchyard-deployment"), "chat#1");
}

TEST_F(ExecutorTest, WhenBothRacersFailTheUsualFallbacksGoOn) {
  router().numRetries = 0;
  router().hedging["chat"] = HedgingPolicy{.delay = 50ms};
  router().fallbacks["chat"] = {"backup"};
  upstream("chat", {UpstreamStep::json(500, openAiError("late failure")).after(200ms)});
  upstream("chat", {UpstreamStep::json(500, openAiError("failure"))});
  auto& backup = upstream("backup", {UpstreamStep::json(200, chatAnswer("backup"))});
  const Run r = run(kChat);
  ASSERT_FALSE(r.error);
  EXPECT_TRUE(says(r.sink.body, "backup"));
  EXPECT_EQ(backup.requests(), 1);
  EXPECT_EQ(r.fallbacks, 1);
  EXPECT_EQ(state(0).totalFailures(), 1u);
  EXPECT_EQ(state(1).totalFailures(), 1u);
}

TEST_F(ExecutorTest, AGroupHedgedByLatencyIsNotRacedWithoutLatencyHistory) {
  router().hedging["chat"] = HedgingPolicy{};  // latency_factor 2, no fixed delay
  upstream("chat", {UpstreamStep::json(200, chatAnswer("first")).after(200ms)});
  auto& other = upstream("chat", {UpstreamStep::json(200, chatAnswer("never"))});
  const Run r = run(kChat);
  ASSERT_FALSE(r.error);
  EXPECT_TRUE(says(r.sink.body, "first"));
  EXPECT_EQ(other.requests(), 0);
}

TEST_F(ExecutorTest, AttemptOnceTriesOneDeploymentAndLeavesItsHealthToTheCaller) {
  auto& a = upstream("chat", {UpstreamStep::json(500, openAiError("down"))});
  upstream("chat", {UpstreamStep::json(200, chatAnswer("not asked"))});
  AttemptResult result;
  asio::co_spawn(
      ioc_,
      [&]() -> Task<void> {
        RequestContext ctx;
        prepare(ctx, kChat);
        const AttemptEnv env = this->env();
        BufferSink sink;
        result = co_await attemptOnce(env, ctx, *snapshot_->deployments[0], sink);
        stopUpstreams();
      },
      asio::detached);
  ioc_.run();
  EXPECT_FALSE(result.answered);
  EXPECT_EQ(result.error.cls, ErrorClass::kUpstreamServer);
  EXPECT_EQ(a.requests(), 1);
  EXPECT_EQ(upstreams_[1]->requests(), 0);
  EXPECT_EQ(state(0).totalFailures(), 0u);
}

}  // namespace
}  // namespace switchyard
