#include "telemetry/metrics_registry.hpp"

#include <map>
#include <set>
#include <tuple>

#include "config/snapshot.hpp"
#include "telemetry/pool_stats.hpp"
#include "telemetry/request_metrics.hpp"

namespace switchyard {

namespace {

using Type = PrometheusWriter::Type;

struct Totals {
  uint64_t requests = 0;
  uint64_t inputTokens = 0;
  uint64_t outputTokens = 0;
  uint64_t cachedTokens = 0;
  double costUsd = 0;
};

struct Histograms {
  HistogramTotals total{kLatencyBoundsUs, std::vector<uint64_t>(kLatencyBoundsUs.size() + 1)};
  HistogramTotals upstream{kLatencyBoundsUs, std::vector<uint64_t>(kLatencyBoundsUs.size() + 1)};
  HistogramTotals ttft{kLatencyBoundsUs, std::vector<uint64_t>(kLatencyBoundsUs.size() + 1)};
  HistogramTotals overhead{kOverheadBoundsUs, std::vector<uint64_t>(kOverheadBoundsUs.size() + 1)};
};

void addInto(HistogramTotals& into, const HistogramView& v) {
  for (size_t i = 0; i < into.buckets.size() && i < v.buckets.size(); ++i) {
    into.buckets[i] += v.buckets[i].load();
  }
  into.sumUs += v.sumUs->load();
}

// Everything the workers counted, summed per label set.
struct Aggregate {
  // (group, deployment, alias, status) → requests
  std::map<std::tuple<std::string, std::string, std::string, int>, uint64_t> requests;
  // (group, deployment, alias) → tokens and cost
  std::map<std::tuple<std::string, std::string, std::string>, Totals> usage;
  // group → retries, fallbacks
  std::map<std::string, std::pair<uint64_t, uint64_t>> attempts;
  std::map<std::string, uint64_t> hedges;        // group → hedges
  std::map<std::string, uint64_t> middleOut;     // group → input tokens middle-out removed
  std::map<std::string, uint64_t> usageUnknown;  // group → complete answers without usage
  // (group, deployment) → latency
  std::map<std::pair<std::string, std::string>, Histograms> latency;
  int64_t inFlight = 0;
  std::map<int, uint64_t> countTokens;  // status → answers
  HistogramTotals countTokensLatency{kLatencyBoundsUs,
                                     std::vector<uint64_t>(kLatencyBoundsUs.size() + 1)};
  struct PoolTotals {
    uint64_t opened = 0;
    uint64_t reused = 0;
    int64_t idle = 0;
  };
  std::map<std::string, PoolTotals, std::less<>> pools;  // origin label → counts

  void add(const RequestSeries& s) {
    requests[{s.modelGroup, s.deployment, s.keyAlias, s.status}] += s.requests.load();
    Totals& t = usage[{s.modelGroup, s.deployment, s.keyAlias}];
    t.requests += s.requests.load();
    t.inputTokens += s.inputTokens.load();
    t.outputTokens += s.outputTokens.load();
    t.cachedTokens += s.cachedTokens.load();
    t.costUsd += s.costUsd.load();
    auto& a = attempts[s.modelGroup];
    a.first += s.retries.load();
    a.second += s.fallbacks.load();
    hedges[s.modelGroup] += s.hedges.load();
    if (const uint64_t n = s.middleOutTokensRemoved.load()) middleOut[s.modelGroup] += n;
    usageUnknown[s.modelGroup] += s.usageUnknown.load();
    Histograms& h = latency[{s.modelGroup, s.deployment}];
    addInto(h.total, s.total.view());
    addInto(h.upstream, s.upstream.view());
    addInto(h.ttft, s.timeToFirstToken.view());
    addInto(h.overhead, s.overhead.view());
  }
};

void writeUsage(PrometheusWriter& w, const Aggregate& a, std::string_view name,
                std::string_view help, uint64_t Totals::*field) {
  w.family(name, Type::kCounter, help);
  for (const auto& [k, t] : a.usage) {
    const auto& [group, deployment, alias] = k;
    w.sample(name, {{"model_group", group}, {"deployment", deployment}, {"key_alias", alias}},
             t.*field);
  }
}

void writeLatency(PrometheusWriter& w, const Aggregate& a, std::string_view name,
                  std::string_view help, HistogramTotals Histograms::*field) {
  w.family(name, Type::kHistogram, help);
  for (const auto& [k, h] : a.latency) {
    w.histogram(name, {{"model_group", k.first}, {"deployment", k.second}}, h.*field);
  }
}

}  // namespace

void MetricsRegistry::addWorker(const WorkerMetrics& metrics, const PoolStats& pool) {
  std::lock_guard lock(mutex_);
  workers_.push_back({&metrics, &pool});
}

void MetricsRegistry::addCollector(MetricsCollector collector) {
  std::lock_guard lock(mutex_);
  collectors_.push_back(std::move(collector));
}

std::string MetricsRegistry::render() const { return render(nullptr); }

std::string MetricsRegistry::render(const Snapshot& snapshot) const { return render(&snapshot); }

std::string MetricsRegistry::render(const Snapshot* snapshot) const {
  // The configured origins: a pool's other origins (a deployment removed by a reload, the
  // overflow slot) are summed under one label, so the label set stays bounded.
  std::set<std::string_view, std::less<>> configured;
  if (snapshot != nullptr) {
    for (const auto& d : snapshot->deployments) configured.insert(d->apiBase.origin());
  }
  auto originLabel = [&](const std::string& origin) -> std::string_view {
    if (snapshot == nullptr || configured.contains(origin)) return origin;
    return PoolStats::kOverflowOrigin;
  };
  std::lock_guard lock(mutex_);
  Aggregate a;
  for (const auto& w : workers_) {
    w.metrics->forEachSeries([&](const RequestSeries& s) { a.add(s); });
    a.inFlight += w.metrics->inFlight();
    const CountTokensMetrics& counts = w.metrics->countTokens();
    counts.forEachStatus([&](int status, uint64_t n) { a.countTokens[status] += n; });
    addInto(a.countTokensLatency, counts.latency());
    w.pool->forEach([&](const OriginPoolCounters& c) {
      const std::string_view label = originLabel(c.origin);
      auto it = a.pools.find(label);
      if (it == a.pools.end())
        it = a.pools.emplace(std::string(label), Aggregate::PoolTotals{}).first;
      it->second.opened += c.opened.load();
      it->second.reused += c.reused.load();
      it->second.idle += c.idle.load();
    });
  }

  PrometheusWriter w;
  w.family("switchyard_build_info", Type::kGauge, "Switchyard version; always 1.");
  w.sample("switchyard_build_info", {{"version", SWITCHYARD_VERSION}}, uint64_t(1));
  w.family("switchyard_workers", Type::kGauge, "Worker threads serving requests.");
  w.sample("switchyard_workers", {}, uint64_t(workers_.size()));

  w.family("switchyard_requests_total", Type::kCounter,
           "Requests to the model endpoints by model group, deployment, key alias and HTTP "
           "status (0: the client went away before an answer).");
  for (const auto& [k, n] : a.requests) {
    const auto& [group, deployment, alias, status] = k;
    const std::string code = std::to_string(status);
    w.sample("switchyard_requests_total",
             {{"model_group", group},
              {"deployment", deployment},
              {"key_alias", alias},
              {"status", code}},
             n);
  }
  writeUsage(w, a, "switchyard_input_tokens_total", "Prompt tokens the providers reported.",
             &Totals::inputTokens);
  writeUsage(w, a, "switchyard_output_tokens_total", "Completion tokens the providers reported.",
             &Totals::outputTokens);
  writeUsage(w, a, "switchyard_cached_tokens_total",
             "Prompt tokens served from the provider's prompt cache.", &Totals::cachedTokens);
  w.family("switchyard_cost_usd_total", Type::kCounter,
           "Spend in US dollars of the requests whose cost is known.");
  for (const auto& [k, t] : a.usage) {
    const auto& [group, deployment, alias] = k;
    w.sample("switchyard_cost_usd_total",
             {{"model_group", group}, {"deployment", deployment}, {"key_alias", alias}}, t.costUsd);
  }
  w.family("switchyard_retries_total", Type::kCounter,
           "Further tries within the requested model group.");
  for (const auto& [group, n] : a.attempts) {
    w.sample("switchyard_retries_total", {{"model_group", group}}, n.first);
  }
  w.family("switchyard_fallbacks_total", Type::kCounter,
           "Switches from the requested model group to a fallback group.");
  for (const auto& [group, n] : a.attempts) {
    w.sample("switchyard_fallbacks_total", {{"model_group", group}}, n.second);
  }
  w.family("switchyard_middle_out_tokens_removed_total", Type::kCounter,
           "Input tokens the middle-out transform removed to fit a context window.");
  for (const auto& [group, n] : a.middleOut) {
    w.sample("switchyard_middle_out_tokens_removed_total", {{"model_group", group}}, n);
  }
  w.family("switchyard_hedges_total", Type::kCounter,
           "Second deployments raced against a slow first one (hedged requests).");
  for (const auto& [group, n] : a.hedges) {
    w.sample("switchyard_hedges_total", {{"model_group", group}}, n);
  }
  w.family("switchyard_usage_unknown_total", Type::kCounter,
           "Streamed answers that completed without any usage from the provider: their tokens "
           "and cost are unknown.");
  for (const auto& [group, n] : a.usageUnknown) {
    w.sample("switchyard_usage_unknown_total", {{"model_group", group}}, n);
  }
  writeLatency(w, a, "switchyard_request_duration_seconds",
               "Time from the request's arrival to the end of its answer.", &Histograms::total);
  writeLatency(w, a, "switchyard_upstream_duration_seconds",
               "Time spent on upstream exchanges, from sending the request to the end of the "
               "upstream's answer, summed over attempts.",
               &Histograms::upstream);
  writeLatency(w, a, "switchyard_time_to_first_token_seconds",
               "Streams: time from the request's arrival to the first event sent to the client.",
               &Histograms::ttft);
  writeLatency(w, a, "switchyard_gateway_overhead_seconds",
               "Request duration minus upstream duration: the gateway's own time.",
               &Histograms::overhead);
  w.family("switchyard_count_tokens_requests_total", Type::kCounter,
           "Requests to /v1/messages/count_tokens by HTTP status (0: the client went away "
           "before an answer); not in switchyard_requests_total.");
  for (const auto& [status, n] : a.countTokens) {
    const std::string code = std::to_string(status);
    w.sample("switchyard_count_tokens_requests_total", {{"status", code}}, n);
  }
  w.family("switchyard_count_tokens_duration_seconds", Type::kHistogram,
           "Time from a count_tokens request's arrival to the end of its answer.");
  w.histogram("switchyard_count_tokens_duration_seconds", {}, a.countTokensLatency);
  w.family("switchyard_requests_in_flight", Type::kGauge,
           "Requests to the model endpoints being served now.");
  w.sample("switchyard_requests_in_flight", {}, a.inFlight);
  w.family("switchyard_upstream_connections_opened_total", Type::kCounter,
           "Upstream connections opened (TCP, and TLS where used), by origin.");
  for (const auto& [origin, p] : a.pools) {
    w.sample("switchyard_upstream_connections_opened_total", {{"origin", origin}}, p.opened);
  }
  w.family("switchyard_upstream_connections_reused_total", Type::kCounter,
           "Upstream requests sent on a pooled keep-alive connection, by origin.");
  for (const auto& [origin, p] : a.pools) {
    w.sample("switchyard_upstream_connections_reused_total", {{"origin", origin}}, p.reused);
  }
  w.family("switchyard_upstream_connections_idle", Type::kGauge,
           "Keep-alive upstream connections waiting in the pools, by origin.");
  for (const auto& [origin, p] : a.pools) {
    w.sample("switchyard_upstream_connections_idle", {{"origin", origin}}, p.idle);
  }

  for (const auto& c : collectors_) c(w);
  return w.take();
}

}  // namespace switchyard
