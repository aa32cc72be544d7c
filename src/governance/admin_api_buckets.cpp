#include "governance/admin_api_buckets.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <cstdlib>
#include <map>
#include <set>
#include <tuple>
#include <vector>

#include "governance/admin_api_body.hpp"
#include "governance/admin_api_reply.hpp"
#include "governance/admin_api_spend.hpp"

namespace switchyard::admin_api {

namespace json = boost::json;

namespace {

constexpr int64_t kHourMs = 3'600'000;
constexpr int64_t kDayMs = 24 * kHourMs;
// A range this long in hours is 31 days: more hourly buckets than a chart can show.
constexpr int64_t kMaxHourBuckets = 24 * 31;

enum class Split { kNone, kKey, kTeam, kUser, kModel, kModelGroup, kDeployment };

std::optional<Split> splitOf(std::string_view name) {
  static constexpr std::pair<std::string_view, Split> kNames[] = {
      {"none", Split::kNone},
      {"key", Split::kKey},
      {"api_key", Split::kKey},
      {"team", Split::kTeam},
      {"user", Split::kUser},
      {"model", Split::kModel},
      {"model_group", Split::kModelGroup},
      {"deployment", Split::kDeployment}};
  for (const auto& [n, s] : kNames) {
    if (n == name) return s;
  }
  return std::nullopt;
}

const std::string& groupOf(const SpendRollup& r, Split split) {
  static const std::string kAll;
  switch (split) {
    case Split::kNone:
      return kAll;
    case Split::kKey:
      return r.keyId;
    case Split::kTeam:
      return r.teamId;
    case Split::kUser:
      return r.userId;
    case Split::kModel:
      return r.model;
    case Split::kModelGroup:
      return r.modelGroup;
    case Split::kDeployment:
      return r.deployment;
  }
  return kAll;
}

void add(SpendRollup& into, const SpendRollup& r) {
  into.requests += r.requests;
  into.promptTokens += r.promptTokens;
  into.completionTokens += r.completionTokens;
  into.totalTokens += r.totalTokens;
  into.cachedTokens += r.cachedTokens;
  into.cacheHits += r.cacheHits;
  into.spend += r.spend;
  into.savedUsd += r.savedUsd;
  for (size_t i = 0; i < kTtftBuckets; ++i) into.ttft[i] += r.ttft[i];
}

// Time to first token of the streamed requests among `t`: how many had one, and p50 / p95
// estimated from the buckets (null when none had).
void ttftMeasures(json::object& o, const SpendRollup& t) {
  int64_t n = 0;
  for (int64_t c : t.ttft) n += c;
  o["ttft_requests"] = n;
  auto quantile = [&](double q) -> json::value {
    if (auto v = ttftQuantile(t.ttft, q)) return *v;
    return nullptr;
  };
  o["ttft_p50_ms"] = quantile(0.5);
  o["ttft_p95_ms"] = quantile(0.95);
}

// What a group is called on a chart: a key's alias (or its masked name), a team's alias.
json::value labelOf(const Registry& registry, Split split, const std::string& group) {
  if (group.empty()) return nullptr;
  if (split == Split::kKey) {
    if (auto k = registry.find(PrincipalKind::kKey, group)) {
      return json::value(k->alias.empty() ? k->keyName : k->alias);
    }
  } else if (split == Split::kTeam) {
    if (auto t = registry.find(PrincipalKind::kTeam, group); t && !t->alias.empty()) {
      return json::value(t->alias);
    }
  }
  return json::value(group);
}

}  // namespace

AdminReply spendBuckets(Store& store, const Registry& registry, std::string_view query,
                        const std::string& keyId, int64_t now) {
  const std::string bucketName = queryParam(query, "bucket").value_or("day");
  if (bucketName != "hour" && bucketName != "day") {
    return fail(400, "'bucket' must be hour or day.", "bucket", "invalid_field");
  }
  const int64_t width = bucketName == "hour" ? kHourMs : kDayMs;
  const std::string splitName = queryParam(query, "group_by").value_or("none");
  const auto split = splitOf(splitName);
  if (!split) {
    return fail(400,
                "'group_by' must be one of none, key, team, user, model, model_group, "
                "deployment.",
                "group_by", "invalid_field");
  }
  // By default the last 30 days, up to the current hour included.
  int64_t end = (now / kHourMs + 1) * kHourMs;
  int64_t start = end - 30 * kDayMs;
  if (auto bad = readDates(query, start, end)) return std::move(*bad);
  if (end <= start) {
    return fail(400, "'end_date' must be after 'start_date'.", "end_date", "invalid_field");
  }
  // Buckets start on whole hours or whole UTC days.
  start = start / width * width;
  if (width == kHourMs && (end - start) / kHourMs > kMaxHourBuckets) {
    return fail(400, "An hourly range may span at most 31 days; use bucket=day.", "bucket",
                "invalid_field");
  }
  const std::string team = queryParam(query, "team_id").value_or("");
  const std::string user = queryParam(query, "user_id").value_or("");
  const std::string model = queryParam(query, "model").value_or("");
  auto rollups = store.spendRollups(start, end);
  if (!rollups) return storeError(rollups.error());

  int64_t top = 0;
  if (auto t = queryParam(query, "top")) {
    top = std::atoll(t->c_str());
    if (t->empty() || t->find_first_not_of("0123456789") != std::string::npos || top < 1) {
      return fail(400, "'top' must be a whole number >= 1.", "top", "invalid_field");
    }
  }

  std::vector<const SpendRollup*> kept;
  std::map<std::string, SpendRollup> perGroup;
  SpendRollup all;
  for (const auto& r : *rollups) {
    if ((!keyId.empty() && r.keyId != keyId) || (!team.empty() && r.teamId != team) ||
        (!user.empty() && r.userId != user) || (!model.empty() && r.model != model)) {
      continue;
    }
    kept.push_back(&r);
    add(perGroup[groupOf(r, *split)], r);
    add(all, r);
  }
  // The groups by spend, most first; with `top`, the buckets keep only the first `top` of them
  // and sum the others into one group "_other" (a chart needs a few series, not a thousand).
  std::vector<std::pair<std::string, const SpendRollup*>> ranked;
  for (const auto& [g, t] : perGroup) ranked.emplace_back(g, &t);
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const auto& a, const auto& b) { return a.second->spend > b.second->spend; });
  std::map<std::string, json::value> labels;  // each group's label, looked up once
  std::set<std::string> shown;
  for (const auto& [g, t] : ranked) {
    labels.emplace(g, labelOf(registry, *split, g));
    if (top == 0 || int64_t(shown.size()) < top) shown.insert(g);
  }
  static const std::string kOther = "_other";

  // (bucket start, group) -> totals, in time order then group order.
  std::map<std::pair<int64_t, std::string>, SpendRollup> totals;
  for (const SpendRollup* r : kept) {
    const int64_t bucket = r->hour * kHourMs / width * width;
    const std::string& group = groupOf(*r, *split);
    add(totals[{bucket, shown.contains(group) ? group : kOther}], *r);
  }
  auto measures = [](json::object& o, const SpendRollup& t) {
    o["requests"] = t.requests;
    o["spend"] = t.spend;
    o["prompt_tokens"] = t.promptTokens;
    o["completion_tokens"] = t.completionTokens;
    o["total_tokens"] = t.totalTokens;
    o["cached_tokens"] = t.cachedTokens;
    o["cache_hits"] = t.cacheHits;
    o["saved_usd"] = t.savedUsd;
    ttftMeasures(o, t);
  };
  const bool grouped = *split != Split::kNone;
  json::array buckets;
  for (const auto& [at, t] : totals) {
    json::object b{{"start", iso(at.first)}, {"start_ms", at.first}};
    if (grouped) {
      b["group"] = at.second;
      b["label"] = at.second == kOther ? json::value("other") : labels[at.second];
    }
    measures(b, t);
    buckets.emplace_back(std::move(b));
  }
  json::object totalsOut{{"requests", all.requests},
                         {"spend", all.spend},
                         {"total_tokens", all.totalTokens},
                         {"saved_usd", all.savedUsd}};
  ttftMeasures(totalsOut, all);
  // The whole distribution too, for other quantiles: counts per bucket, the last one unbounded.
  json::array bounds;
  json::array counts;
  for (int64_t b : kTtftBoundsMs) bounds.emplace_back(b);
  for (int64_t c : all.ttft) counts.emplace_back(c);
  totalsOut["ttft_bounds_ms"] = std::move(bounds);
  totalsOut["ttft_buckets"] = std::move(counts);
  json::object out{
      {"bucket", bucketName}, {"group_by", splitName},          {"start", iso(start)},
      {"end", iso(end)},      {"totals", std::move(totalsOut)}, {"buckets", std::move(buckets)}};
  if (grouped) {
    json::array groups;
    for (const auto& [g, t] : ranked) {
      json::object o{{"group", g}, {"label", labels[g]}};
      measures(o, *t);
      groups.emplace_back(std::move(o));
    }
    out["groups"] = std::move(groups);
  }
  return ok(out);
}

}  // namespace switchyard::admin_api
