#include "telemetry/access_log.hpp"
#include "telemetry/text_buffer.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <boost/json.hpp>
#include <thread>

#include "stages/cache/cache_lookup.hpp"
#include "stages/guardrails/guardrail_run.hpp"
#include "telemetry/log_sink.hpp"
#include "telemetry/request_metrics.hpp"

namespace switchyard {
namespace {

using namespace std::chrono_literals;

TEST(AccessLog, OneJsonObjectWithTheRequestFactsAndNoKey) {
  RequestContext ctx;
  auto snap = std::make_shared<Snapshot>();
  ctx.snapshot = snap;
  ctx.requestId = "req-1";
  ctx.presentedKey = "sk-secret-key-never-logged";
  ctx.keyAlias = "team \"a\"";
  ctx.request.model = "gpt-4o";
  ctx.request.stream = true;
  auto d = std::make_shared<Deployment>();
  d->id = "gpt-4o#0";
  d->modelName = "gpt-4o";
  snap->deployments.push_back(d);
  snap->groups["gpt-4o"] = {0};
  d->provider = "openai";
  d->upstreamModel = "gpt-4o-2024";
  d->apiKey = "sk-upstream-secret";
  ctx.deployment = d;
  ctx.status = 200;
  ctx.attempts = 2;
  ctx.retries = 1;
  ctx.usage = {true, 11, 7, 18, 3, 0};
  ctx.costUsd = 0.0025;
  ctx.costKnown = true;
  ctx.start = std::chrono::steady_clock::now() - 5ms;
  ctx.upstreamStart = ctx.start + 1ms;
  ctx.firstByte = ctx.start + 2ms;
  ctx.firstToken = ctx.start + 3ms;
  ctx.upstreamTime = 3ms;
  TextBuffer buffer;
  formatAccessLog(ctx, boundedLabels(ctx).modelGroup, std::chrono::steady_clock::now(), buffer);
  const std::string line(buffer.view());
  EXPECT_EQ(line.find("secret"), std::string::npos) << line;
  const auto j = boost::json::parse(line).as_object();
  EXPECT_EQ(j.at("request_id"), "req-1");
  EXPECT_EQ(j.at("key_alias"), "team \"a\"");
  EXPECT_EQ(j.at("model_group"), "gpt-4o");
  EXPECT_EQ(j.at("deployment"), "gpt-4o#0");
  EXPECT_EQ(j.at("provider"), "openai");
  EXPECT_EQ(j.at("status"), 200);
  EXPECT_EQ(j.at("stream"), true);
  EXPECT_EQ(j.at("attempts"), 2);
  EXPECT_EQ(j.at("retries"), 1);
  EXPECT_EQ(j.at("fallbacks"), 0);
  EXPECT_EQ(j.at("prompt_tokens"), 11);
  EXPECT_EQ(j.at("completion_tokens"), 7);
  EXPECT_EQ(j.at("cached_tokens"), 3);
  EXPECT_EQ(j.at("cost_usd"), 0.0025);
  EXPECT_GE(j.at("total_us").as_int64(), 5000);
  EXPECT_EQ(j.at("upstream_us"), 3000);
  EXPECT_EQ(j.at("ttft_us"), 3000);
  EXPECT_GE(j.at("overhead_us").as_int64(), 2000);
  EXPECT_TRUE(j.at("cache").is_null());
  EXPECT_TRUE(j.at("guardrail").is_null());
  EXPECT_EQ(j.at("ts").as_string().size(), 24u);  // 2026-11-25T10:15:02.123Z
}

TEST(AccessLog, ASingleAttemptAddsNoAttemptList) {
  RequestContext ctx;
  ctx.snapshot = std::make_shared<Snapshot>();
  auto d = std::make_shared<Deployment>();
  d->id = "chat#0";
  ctx.deployment = d;
  ctx.attempts = 1;
  ctx.attemptTrail.add()->deployment = d;
  TextBuffer buffer;
  formatAccessLog(ctx, "chat", std::chrono::steady_clock::now(), buffer);
  const auto j = boost::json::parse(buffer.view()).as_object();
  EXPECT_FALSE(j.contains("attempt_list")) << buffer.view();
  EXPECT_EQ(j.at("deployment"), "chat#0");
}

TEST(AccessLog, EveryAttemptWithItsReasonOutcomeStatusAndTime) {
  RequestContext ctx;
  ctx.snapshot = std::make_shared<Snapshot>();
  auto first = std::make_shared<Deployment>();
  first->id = "chat#0 \"eu\"";  // escaped as any string of the line
  first->provider = "azure";
  auto second = std::make_shared<Deployment>();
  second->id = "backup#1";
  second->provider = "openai";
  AttemptRecord* a = ctx.attemptTrail.add();
  a->deployment = first;
  a->status = 429;
  a->outcome = AttemptOutcome::kFailed;
  a->error = ErrorClass::kRateLimited;
  a->latencyUs = 1200;
  AttemptRecord* b = ctx.attemptTrail.add();
  b->deployment = second;
  b->reason = AttemptReason::kFallback;
  b->status = 200;
  b->latencyUs = 35000;
  ctx.deployment = second;
  ctx.attempts = 2;
  ctx.fallbacks = 1;
  TextBuffer buffer;
  formatAccessLog(ctx, "chat", std::chrono::steady_clock::now(), buffer);
  const auto j = boost::json::parse(buffer.view()).as_object();
  const auto& list = j.at("attempt_list").as_array();
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0], boost::json::parse(R"({"deployment":"chat#0 \"eu\"","provider":"azure",
      "reason":"first","outcome":"failed","status":429,"error":"rate_limited","latency_us":1200})"));
  EXPECT_EQ(list[1], boost::json::parse(R"({"deployment":"backup#1","provider":"openai",
      "reason":"fallback","outcome":"answered","status":200,"latency_us":35000})"));
  EXPECT_FALSE(j.contains("attempt_list_more"));
}

TEST(AccessLog, AttemptsBeyondTheTrailsCapacityAreCounted) {
  RequestContext ctx;
  ctx.snapshot = std::make_shared<Snapshot>();
  auto d = std::make_shared<Deployment>();
  d->id = "chat#0";
  d->provider = "openai";
  for (int i = 0; i < 9; ++i) {
    if (AttemptRecord* r = ctx.attemptTrail.add()) {
      r->deployment = d;
      r->reason = i == 0 ? AttemptReason::kFirst : AttemptReason::kRetry;
      r->outcome = AttemptOutcome::kFailed;
      r->error = ErrorClass::kUpstreamServer;
      r->status = 503;
    }
  }
  TextBuffer buffer;
  formatAccessLog(ctx, "chat", std::chrono::steady_clock::now(), buffer);
  const auto j = boost::json::parse(buffer.view()).as_object();
  EXPECT_EQ(j.at("attempt_list").as_array().size(), AttemptTrail::kCapacity);
  EXPECT_EQ(j.at("attempt_list_more"), 9 - int(AttemptTrail::kCapacity));
  EXPECT_EQ(j.at("attempt_list").as_array()[1].at("reason"), "retry");
}

// The live log's cache and guardrail columns: one word each, the strongest guardrail action.
TEST(AccessLog, CacheAndGuardrailOutcomes) {
  auto line = [](const RequestContext& ctx) {
    TextBuffer buffer;
    formatAccessLog(ctx, "m", std::chrono::steady_clock::now(), buffer);
    return boost::json::parse(buffer.view()).as_object();
  };
  RequestContext ctx;
  ctx.snapshot = std::make_shared<Snapshot>();
  ctx.cache = std::make_shared<CacheLookup>();
  ctx.guardrails = std::make_shared<GuardrailRun>();
  auto j = line(ctx);
  EXPECT_EQ(j.at("cache"), "miss");
  EXPECT_EQ(j.at("guardrail"), "passed");
  ctx.cache->hit = std::make_shared<CachedAnswer>();
  ctx.guardrails->reports.push_back({"pii", "input", "masked", "email", 1});
  ctx.guardrails->reports.push_back({"words", "input", "logged", "w", 1});
  j = line(ctx);
  EXPECT_EQ(j.at("cache"), "hit");
  EXPECT_EQ(j.at("guardrail"), "masked");
  EXPECT_EQ(j.at("guardrails"), "pii:input:masked:email;words:input:logged:w");
  ctx.guardrails->reports.push_back({"jailbreak", "input", "blocked", "", 1});
  EXPECT_EQ(line(ctx).at("guardrail"), "blocked");
}

TEST(LogSink, WritesLinesFromManyThreadsWhole) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  std::string got;
  std::thread reader([&] {
    char buf[4096];
    ssize_t n;
    while ((n = ::read(fds[0], buf, sizeof buf)) > 0) got.append(buf, size_t(n));
  });
  {
    LogSink sink(fds[1]);
    std::vector<std::thread> writers;
    for (int t = 0; t < 4; ++t) {
      writers.emplace_back([&, t] {
        for (int i = 0; i < 500; ++i) sink.submit("{\"t\":" + std::to_string(t) + "}\n");
      });
    }
    for (auto& w : writers) w.join();
  }  // flushes and closes the write end
  reader.join();
  ::close(fds[0]);
  size_t lines = 0;
  for (size_t pos = 0; (pos = got.find('\n', pos)) != std::string::npos; ++pos) ++lines;
  EXPECT_EQ(lines, 2000u);
  EXPECT_EQ(got.find("}{"), std::string::npos);
}

TEST(LogSink, ABlockedPipeDropsLinesInsteadOfBlocking) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);  // nobody reads yet: the writer thread blocks once the pipe is full
  std::thread drain;
  {
    LogSink sink(fds[1], 64 * 1024);
    const std::string line(1000, 'x');
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < 2000; ++i) sink.submit(line + "\n");
    EXPECT_LT(std::chrono::steady_clock::now() - start, 1s);
    EXPECT_GT(sink.dropped(), 0u);
    // Now read, so that the writer's blocked write returns and the sink can stop.
    drain = std::thread([&] {
      char buf[65536];
      while (::read(fds[0], buf, sizeof buf) > 0) {
      }
    });
  }  // the sink closes the write end: the reader sees the end
  drain.join();
  ::close(fds[0]);
}

TEST(LogSink, ALineIsWrittenWithinTheFlushIntervalAtLowTraffic) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  LogSink sink(fds[1]);
  sink.submit("{\"one\":1}\n");
  // Far below the high-water mark: only the writer's tick sends it, while the sink lives.
  pollfd p{fds[0], POLLIN, 0};
  ASSERT_EQ(::poll(&p, 1, int(20 * LogSink::kFlushInterval.count())), 1);
  char buf[64];
  const ssize_t n = ::read(fds[0], buf, sizeof buf);
  EXPECT_EQ(std::string(buf, size_t(std::max<ssize_t>(n, 0))), "{\"one\":1}\n");
  ::close(fds[0]);
}

TEST(LogSink, EveryLineIsWrittenOrCountedAsDroppedWhenTheWriterWasStuck) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);  // nobody reads yet: the writer blocks once the pipe is full
  size_t lines = 0;
  std::thread reader;
  uint64_t dropped = 0;
  constexpr int kSubmitted = 3000;
  {
    LogSink sink(fds[1], 16 * 1024);
    const std::string line(100, 'y');
    for (int i = 0; i < kSubmitted; ++i) sink.submit(line + "\n");
    dropped = sink.dropped();
    EXPECT_GT(dropped, 0u);
    reader = std::thread([&] {
      char buf[65536];
      ssize_t n;
      while ((n = ::read(fds[0], buf, sizeof buf)) > 0)
        lines += size_t(std::count(buf, buf + n, '\n'));
    });
  }  // shutdown writes what is still queued
  reader.join();
  ::close(fds[0]);
  EXPECT_EQ(lines + dropped, size_t(kSubmitted));
}

}  // namespace
}  // namespace switchyard
