#include "telemetry/request_metrics.hpp"

#include <gtest/gtest.h>

#include <array>
#include <map>

#include "config/snapshot.hpp"
#include "core/url.hpp"
#include "stages/request_context.hpp"
#include "telemetry/metrics_registry.hpp"
#include "telemetry/pool_stats.hpp"

namespace switchyard {
namespace {

using std::chrono::microseconds;

RequestMeasures measures(int64_t totalUs, int64_t upstreamUs) {
  RequestMeasures m;
  m.total = microseconds(totalUs);
  m.upstream = microseconds(upstreamUs);
  m.usage.present = true;
  m.usage.promptTokens = 10;
  m.usage.completionTokens = 5;
  m.usage.cachedPromptTokens = 2;
  m.costUsd = 0.5;
  m.retries = 1;
  m.hedges = 1;
  return m;
}

size_t seriesCount(const WorkerMetrics& m) {
  size_t n = 0;
  m.forEachSeries([&](const RequestSeries&) { ++n; });
  return n;
}

TEST(WorkerMetrics, OneSeriesPerLabelSet) {
  WorkerMetrics m;
  m.record({"gpt", "gpt#0", "team-a", 200}, measures(1000, 800));
  m.record({"gpt", "gpt#0", "team-a", 200}, measures(1000, 800));
  m.record({"gpt", "gpt#0", "team-a", 429}, measures(1000, 800));
  EXPECT_EQ(seriesCount(m), 2u);
  m.forEachSeries([](const RequestSeries& s) {
    if (s.status == 200) {
      EXPECT_EQ(s.requests.load(), 2u);
      EXPECT_EQ(s.inputTokens.load(), 20u);
      EXPECT_EQ(s.outputTokens.load(), 10u);
      EXPECT_EQ(s.cachedTokens.load(), 4u);
      EXPECT_EQ(s.retries.load(), 2u);
      EXPECT_DOUBLE_EQ(s.costUsd.load(), 1.0);
      // Overhead 200 us lands in the le=250us bucket.
      EXPECT_EQ(s.overhead.view().buckets[4].load(), 2u);
    }
  });
}

TEST(WorkerMetrics, KeyAliasesPastTheCapShareOneLabel) {
  WorkerMetrics m;
  for (size_t i = 0; i < WorkerMetrics::kMaxKeyAliases + 50; ++i) {
    m.record({"g", "g#0", "alias-" + std::to_string(i), 200}, measures(10, 5));
  }
  size_t other = 0;
  m.forEachSeries([&](const RequestSeries& s) {
    if (s.keyAlias == kOtherLabel) other = s.requests.load();
  });
  EXPECT_EQ(other, 50u);
  EXPECT_EQ(seriesCount(m), WorkerMetrics::kMaxKeyAliases + 1);
}

TEST(WorkerMetrics, SeriesPastTheCapGoToTheOverflowSeries) {
  WorkerMetrics m;
  for (int status = 0; status < int(WorkerMetrics::kMaxSeries) + 10; ++status) {
    m.record({"g", "g#0", "", status}, measures(10, 5));
  }
  EXPECT_EQ(seriesCount(m), WorkerMetrics::kMaxSeries + 1);
  uint64_t overflow = 0;
  m.forEachSeries([&](const RequestSeries& s) {
    if (s.modelGroup == kOtherLabel) overflow = s.requests.load();
  });
  EXPECT_EQ(overflow, 10u);
}

TEST(WorkerMetrics, InFlight) {
  WorkerMetrics m;
  m.requestStarted();
  m.requestStarted();
  m.requestEnded();
  EXPECT_EQ(m.inFlight(), 1);
}

std::shared_ptr<const Snapshot> snapshotWithGroup() {
  auto snap = std::make_shared<Snapshot>();
  auto d = std::make_shared<Deployment>();
  d->id = "gpt-4o#0";
  d->modelName = "gpt-4o";
  snap->deployments.push_back(d);
  snap->groups["gpt-4o"] = {0};
  return snap;
}

TEST(BoundedLabels, ConfiguredWildcardAndUnknownModels) {
  RequestContext ctx;
  ctx.snapshot = snapshotWithGroup();
  ctx.status = 200;
  ctx.request.model = "gpt-4o";
  ctx.deployment = ctx.snapshot->deployments[0];
  auto l = boundedLabels(ctx);
  EXPECT_EQ(l.modelGroup, "gpt-4o");
  EXPECT_EQ(l.deployment, "gpt-4o#0");

  // A wildcard route: the client's model name must not become a label.
  ctx.request.model = "openai/some-model-" + std::string(40, 'x');
  auto wildcard = std::make_shared<Deployment>();
  wildcard->id = "openai/*";
  wildcard->modelName = ctx.request.model;
  ctx.deployment = wildcard;
  l = boundedLabels(ctx);
  EXPECT_EQ(l.modelGroup, "openai/*");
  EXPECT_EQ(l.deployment, "openai/*");

  ctx.deployment = nullptr;
  ctx.request.model = "no-such-model";
  ctx.status = 404;
  l = boundedLabels(ctx);
  EXPECT_EQ(l.modelGroup, kUnknownModelLabel);
  EXPECT_EQ(l.deployment, "");
}

TEST(MetricsRegistry, SumsWorkersAndRunsCollectors) {
  WorkerMetrics a, b;
  PoolStats poolA, poolB;
  ++poolA.origin("http://up:80").opened;
  ++poolB.origin("http://up:80").opened;
  ++poolB.origin("http://up:80").reused;
  a.record({"gpt", "gpt#0", "k", 200}, measures(1000, 800));
  b.record({"gpt", "gpt#0", "k", 200}, measures(3000, 1000));
  MetricsRegistry r;
  r.addWorker(a, poolA);
  r.addWorker(b, poolB);
  r.addCollector([](PrometheusWriter& w) {
    w.family("routing_cooldowns", PrometheusWriter::Type::kGauge, "Test gauge.");
    w.sample("routing_cooldowns", {{"deployment", "gpt#0"}}, uint64_t(3));
  });
  const std::string text = r.render();
  auto has = [&](const std::string& line) {
    return text.find("\n" + line + "\n") != std::string::npos;
  };
  EXPECT_TRUE(
      has("switchyard_requests_total{model_group=\"gpt\",deployment=\"gpt#0\",key_alias=\"k\","
          "status=\"200\"} 2"))
      << text;
  EXPECT_TRUE(
      has("switchyard_input_tokens_total{model_group=\"gpt\",deployment=\"gpt#0\",key_alias=\"k\"} "
          "20"));
  EXPECT_TRUE(
      has("switchyard_cost_usd_total{model_group=\"gpt\",deployment=\"gpt#0\",key_alias=\"k\"} 1"));
  EXPECT_TRUE(has("switchyard_retries_total{model_group=\"gpt\"} 2"));
  EXPECT_TRUE(has("switchyard_hedges_total{model_group=\"gpt\"} 2"));
  EXPECT_TRUE(
      has("switchyard_request_duration_seconds_count{model_group=\"gpt\",deployment=\"gpt#0\"} 2"));
  EXPECT_TRUE(
      has("switchyard_request_duration_seconds_sum{model_group=\"gpt\",deployment=\"gpt#0\"} "
          "0.004"));
  EXPECT_TRUE(has("switchyard_upstream_connections_opened_total{origin=\"http://up:80\"} 2"));
  EXPECT_TRUE(has("switchyard_upstream_connections_reused_total{origin=\"http://up:80\"} 1"));
  EXPECT_TRUE(has("routing_cooldowns{deployment=\"gpt#0\"} 3"));
}

TEST(PoolStats, CountsPerOriginAndOverflowsPastTheCap) {
  PoolStats pool;
  ++pool.origin("http://a:1").opened;
  ++pool.origin("http://b:2").opened;
  ++pool.origin("http://a:1").reused;
  ++pool.origin("http://a:1").idle;
  for (size_t i = 0; i < PoolStats::kMaxOrigins + 5; ++i) {
    ++pool.origin("http://many:" + std::to_string(i)).opened;
  }
  pool.idleCleared();
  std::map<std::string, std::array<int64_t, 3>> seen;
  pool.forEach([&](const OriginPoolCounters& c) {
    seen[c.origin] = {int64_t(c.opened.load()), int64_t(c.reused.load()), c.idle.load()};
  });
  EXPECT_EQ(seen.size(), PoolStats::kMaxOrigins + 1);  // the cap, and the overflow slot
  EXPECT_EQ(seen["http://a:1"], (std::array<int64_t, 3>{1, 1, 0}));
  EXPECT_EQ(seen["http://b:2"][0], 1);
  // 62 "many" origins got a slot of their own, the last 7 share the overflow.
  EXPECT_EQ(seen[std::string(PoolStats::kOverflowOrigin)][0], 7);
}

TEST(MetricsRegistry, LabelsOnlyConfiguredOriginsOfThePools) {
  auto snap = std::make_shared<Snapshot>();
  auto d = std::make_shared<Deployment>();
  d->id = "gpt#0";
  d->apiBase = *parseUrl("https://api.example.com/v1");
  snap->deployments.push_back(d);
  WorkerMetrics metrics;
  PoolStats pool;
  ++pool.origin("https://api.example.com").opened;
  ++pool.origin("http://removed-by-reload:8080").opened;
  ++pool.origin("http://another-one:9").opened;
  MetricsRegistry r;
  r.addWorker(metrics, pool);
  const std::string text = r.render(*snap);
  EXPECT_NE(text.find("\nswitchyard_upstream_connections_opened_total{origin=\"https://"
                      "api.example.com\"} 1\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("\nswitchyard_upstream_connections_opened_total{origin=\"_other\"} 2\n"),
            std::string::npos)
      << text;
  EXPECT_EQ(text.find("removed-by-reload"), std::string::npos);
}

}  // namespace
}  // namespace switchyard
