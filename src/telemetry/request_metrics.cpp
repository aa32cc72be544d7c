#include "telemetry/request_metrics.hpp"

#include "stages/request_context.hpp"

namespace switchyard {

namespace {
constexpr size_t kMaxLabelLength = 128;
}

RequestSeries::RequestSeries(std::string_view group, std::string_view deployment,
                             std::string_view alias, int status)
    : modelGroup(group), deployment(deployment), keyAlias(alias), status(status) {}

size_t WorkerMetrics::KeyHash::operator()(const KeyView& k) const {
  std::hash<std::string_view> h;
  size_t v = h(k.group);
  v = v * 31 + h(k.deployment);
  v = v * 31 + h(k.alias);
  return v * 31 + size_t(k.status);
}

WorkerMetrics::WorkerMetrics()
    : overflow_(std::make_unique<RequestSeries>(kOtherLabel, kOtherLabel, kOtherLabel, 0)) {}

RequestSeries& WorkerMetrics::seriesFor(const RequestLabels& labels) {
  KeyView key{labels.modelGroup, labels.deployment, labels.keyAlias, labels.status};
  for (const Recent& r : recent_) {
    if (r.series != nullptr && r.key == key) return *r.series;
  }
  if (auto it = index_.find(key); it != index_.end()) {
    recent_[recentNext_++ % recent_.size()] = {it->first, it->second};
    return *it->second;
  }

  // A new alias beyond the cap (or an absurdly long one) is counted under "_other".
  if (!key.alias.empty() && !aliases_.contains(std::string(key.alias))) {
    if (aliases_.size() >= kMaxKeyAliases || key.alias.size() > kMaxLabelLength) {
      key.alias = kOtherLabel;
      if (auto it = index_.find(key); it != index_.end()) return *it->second;
    } else {
      aliases_.emplace(key.alias);
    }
  }
  const size_t n = published_.load(std::memory_order_relaxed);
  if (n >= kMaxSeries) {
    if (n == kMaxSeries) {
      series_[n].store(overflow_.get(), std::memory_order_release);
      published_.store(n + 1, std::memory_order_release);
    }
    return *overflow_;
  }
  auto& s = owned_.emplace_back(
      std::make_unique<RequestSeries>(key.group, key.deployment, key.alias, key.status));
  index_.emplace(KeyView{s->modelGroup, s->deployment, s->keyAlias, s->status}, s.get());
  series_[n].store(s.get(), std::memory_order_release);
  published_.store(n + 1, std::memory_order_release);
  return *s;
}

void WorkerMetrics::record(const RequestLabels& labels, const RequestMeasures& m) {
  RequestSeries& s = seriesFor(labels);
  ++s.requests;
  if (m.usage.present) {
    s.inputTokens.add(uint64_t(std::max<int64_t>(m.usage.promptTokens, 0)));
    s.outputTokens.add(uint64_t(std::max<int64_t>(m.usage.completionTokens, 0)));
    s.cachedTokens.add(uint64_t(std::max<int64_t>(m.usage.cachedPromptTokens, 0)));
  }
  if (m.costUsd > 0) s.costUsd.add(m.costUsd);
  if (m.retries > 0) s.retries.add(uint64_t(m.retries));
  if (m.fallbacks > 0) s.fallbacks.add(uint64_t(m.fallbacks));
  if (m.hedges > 0) s.hedges.add(uint64_t(m.hedges));
  if (m.middleOutTokensRemoved > 0)
    s.middleOutTokensRemoved.add(uint64_t(m.middleOutTokensRemoved));
  if (m.usageUnknown) ++s.usageUnknown;
  s.total.observe(m.total);
  if (m.upstream.count() >= 0) {
    s.upstream.observe(m.upstream);
    s.overhead.observe(std::max(m.total - m.upstream, std::chrono::microseconds(0)));
  }
  if (m.timeToFirstToken.count() >= 0) s.timeToFirstToken.observe(m.timeToFirstToken);
}

RequestLabels boundedLabels(const RequestContext& ctx) {
  RequestLabels l;
  l.status = ctx.status;
  l.keyAlias = ctx.keyAlias;
  const Snapshot& snap = *ctx.snapshot;
  // The configured group's own string, never the client's, whatever it asked for.
  auto configured = [&](std::string_view name) -> std::string_view {
    if (name.empty()) return {};
    auto it = snap.groups.find(name);
    return it == snap.groups.end() ? std::string_view() : std::string_view(it->first);
  };
  l.modelGroup = configured(ctx.modelGroup);
  if (l.modelGroup.empty()) l.modelGroup = configured(ctx.request.model);
  if (ctx.deployment) {
    l.deployment = ctx.deployment->id;
    // A wildcard deployment's id is its pattern ("openai/*"), which then stands for the group.
    if (l.modelGroup.empty()) l.modelGroup = configured(ctx.deployment->modelName);
    if (l.modelGroup.empty()) l.modelGroup = ctx.deployment->id;
  }
  if (l.modelGroup.empty()) l.modelGroup = kUnknownModelLabel;
  return l;
}

RequestMeasures measuresOf(const RequestContext& ctx, std::chrono::steady_clock::time_point end) {
  using std::chrono::duration_cast;
  using std::chrono::microseconds;
  RequestMeasures m;
  m.total = duration_cast<microseconds>(end - ctx.start);
  if (ctx.upstreamStart.time_since_epoch().count() != 0) {
    m.upstream = duration_cast<microseconds>(ctx.upstreamTime);
  }
  if (ctx.firstToken.time_since_epoch().count() != 0) {
    m.timeToFirstToken = duration_cast<microseconds>(ctx.firstToken - ctx.start);
  }
  m.usage = ctx.usage;
  if (ctx.costKnown) m.costUsd = ctx.costUsd;
  m.retries = ctx.retries;
  m.fallbacks = ctx.fallbacks;
  m.hedges = ctx.hedges;
  m.middleOutTokensRemoved = ctx.middleOutTokensRemoved;
  m.usageUnknown = ctx.usageUnknown;
  return m;
}

}  // namespace switchyard
