#include "governance/admin_api_buckets.hpp"

#include <boost/json.hpp>
#include <map>
#include <tuple>

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

  // (bucket start, group) -> totals, in time order then group order.
  std::map<std::pair<int64_t, std::string>, SpendRollup> totals;
  SpendRollup all;
  for (const auto& r : *rollups) {
    if ((!keyId.empty() && r.keyId != keyId) || (!team.empty() && r.teamId != team) ||
        (!user.empty() && r.userId != user) || (!model.empty() && r.model != model)) {
      continue;
    }
    const int64_t bucket = r.hour * kHourMs / width * width;
    add(totals[{bucket, groupOf(r, *split)}], r);
    add(all, r);
  }
  json::array buckets;
  for (const auto& [at, t] : totals) {
    json::object b{{"start", iso(at.first)},          {"start_ms", at.first},
                   {"requests", t.requests},          {"spend", t.spend},
                   {"prompt_tokens", t.promptTokens}, {"completion_tokens", t.completionTokens},
                   {"total_tokens", t.totalTokens},   {"cached_tokens", t.cachedTokens},
                   {"cache_hits", t.cacheHits},       {"saved_usd", t.savedUsd}};
    if (*split != Split::kNone) {
      b["group"] = at.second;
      b["label"] = labelOf(registry, *split, at.second);
    }
    buckets.emplace_back(std::move(b));
  }
  return ok(json::object{{"bucket", bucketName},
                         {"group_by", splitName},
                         {"start", iso(start)},
                         {"end", iso(end)},
                         {"totals", json::object{{"requests", all.requests},
                                                 {"spend", all.spend},
                                                 {"total_tokens", all.totalTokens},
                                                 {"saved_usd", all.savedUsd}}},
                         {"buckets", std::move(buckets)}});
}

}  // namespace switchyard::admin_api
