#include "store/spend_rollup_sql.hpp"

#include <map>
#include <tuple>

namespace switchyard {

namespace rollup_sql {

const std::string_view kMigration = R"sql(
CREATE TABLE IF NOT EXISTS sy_spend_rollups (
  hour BIGINT NOT NULL, api_key TEXT NOT NULL, team_id TEXT NOT NULL, user_id TEXT NOT NULL,
  model TEXT NOT NULL, model_group TEXT NOT NULL, deployment TEXT NOT NULL,
  requests BIGINT NOT NULL, prompt_tokens BIGINT NOT NULL, completion_tokens BIGINT NOT NULL,
  total_tokens BIGINT NOT NULL, cached_tokens BIGINT NOT NULL, cache_hits BIGINT NOT NULL,
  spend DOUBLE PRECISION NOT NULL, saved_spend DOUBLE PRECISION NOT NULL,
  PRIMARY KEY (hour, api_key, team_id, user_id, model, model_group, deployment));
INSERT INTO sy_spend_rollups (hour, api_key, team_id, user_id, model, model_group, deployment,
  requests, prompt_tokens, completion_tokens, total_tokens, cached_tokens, cache_hits, spend,
  saved_spend)
  SELECT start_time / 3600000, api_key, team_id, user_id, model, COALESCE(model_group, ''),
    COALESCE(deployment, ''), COUNT(*), SUM(prompt_tokens), SUM(completion_tokens),
    SUM(total_tokens), SUM(cached_tokens), SUM(cache_hit), SUM(spend), SUM(saved_spend)
  FROM sy_spend_logs
  GROUP BY start_time / 3600000, api_key, team_id, user_id, model, COALESCE(model_group, ''),
    COALESCE(deployment, '');
DROP INDEX IF EXISTS sy_spend_logs_time;
DROP INDEX IF EXISTS sy_spend_logs_team;
DROP INDEX IF EXISTS sy_spend_logs_user;
CREATE INDEX IF NOT EXISTS sy_spend_logs_start ON sy_spend_logs (start_time);
)sql";

const std::string_view kTtftMigration = R"sql(
ALTER TABLE sy_spend_rollups ADD COLUMN ttft_le_50ms BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sy_spend_rollups ADD COLUMN ttft_le_100ms BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sy_spend_rollups ADD COLUMN ttft_le_200ms BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sy_spend_rollups ADD COLUMN ttft_le_300ms BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sy_spend_rollups ADD COLUMN ttft_le_400ms BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sy_spend_rollups ADD COLUMN ttft_le_500ms BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sy_spend_rollups ADD COLUMN ttft_le_750ms BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sy_spend_rollups ADD COLUMN ttft_le_1000ms BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sy_spend_rollups ADD COLUMN ttft_le_1500ms BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sy_spend_rollups ADD COLUMN ttft_le_2000ms BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sy_spend_rollups ADD COLUMN ttft_le_3000ms BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sy_spend_rollups ADD COLUMN ttft_le_5000ms BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sy_spend_rollups ADD COLUMN ttft_le_10000ms BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sy_spend_rollups ADD COLUMN ttft_le_20000ms BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sy_spend_rollups ADD COLUMN ttft_le_60000ms BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sy_spend_rollups ADD COLUMN ttft_gt_60000ms BIGINT NOT NULL DEFAULT 0;
)sql";

namespace {

constexpr std::string_view kBaseColumns =
    "hour, api_key, team_id, user_id, model, model_group, deployment, requests, prompt_tokens, "
    "completion_tokens, total_tokens, cached_tokens, cache_hits, spend, saved_spend";
constexpr size_t kBaseColumnCount = 15;

std::string allColumns() {
  std::string out(kBaseColumns);
  for (size_t i = 0; i < kTtftBuckets; ++i) {
    out += ", ";
    out += ttftColumn(i);
  }
  return out;
}

}  // namespace

const std::string& columns() {
  static const std::string all = allColumns();
  return all;
}

std::string upsertSql(size_t n) {
  std::string tuple = "(";
  for (size_t c = 0; c < kColumnCount; ++c) tuple += c ? ",?" : "?";
  tuple += ")";
  std::string sql = "INSERT INTO sy_spend_rollups (" + columns() + ") VALUES ";
  for (size_t i = 0; i < n; ++i) sql += (i ? "," : "") + tuple;
  sql +=
      " ON CONFLICT (hour, api_key, team_id, user_id, model, model_group, deployment) DO UPDATE "
      "SET ";
  const char* sums[] = {"requests",     "prompt_tokens", "completion_tokens",
                        "total_tokens", "cached_tokens", "cache_hits",
                        "spend",        "saved_spend"};
  bool first = true;
  auto sum = [&](std::string_view c) {
    sql += first ? "" : ", ";
    sql +=
        std::string(c) + " = sy_spend_rollups." + std::string(c) + " + excluded." + std::string(c);
    first = false;
  };
  for (const char* c : sums) sum(c);
  for (size_t i = 0; i < kTtftBuckets; ++i) sum(ttftColumn(i));
  return sql;
}

void appendParams(std::vector<SqlValue>& params, const SpendRollup& r) {
  params.insert(params.end(), {r.hour, r.keyId, r.teamId, r.userId, r.model, r.modelGroup,
                               r.deployment, r.requests, r.promptTokens, r.completionTokens,
                               r.totalTokens, r.cachedTokens, r.cacheHits, r.spend, r.savedUsd});
  for (int64_t c : r.ttft) params.emplace_back(c);
}

SpendRollup rollupFrom(const SqlRow& row) {
  auto s = [&](size_t i) { return row[i].value_or(std::string()); };
  auto n = [&](size_t i) { return row[i] ? std::stoll(*row[i]) : int64_t{0}; };
  auto d = [&](size_t i) { return row[i] ? std::stod(*row[i]) : 0.0; };
  SpendRollup r;
  r.hour = n(0);
  r.keyId = s(1);
  r.teamId = s(2);
  r.userId = s(3);
  r.model = s(4);
  r.modelGroup = s(5);
  r.deployment = s(6);
  r.requests = n(7);
  r.promptTokens = n(8);
  r.completionTokens = n(9);
  r.totalTokens = n(10);
  r.cachedTokens = n(11);
  r.cacheHits = n(12);
  r.spend = d(13);
  r.savedUsd = d(14);
  for (size_t i = 0; i < kTtftBuckets && kBaseColumnCount + i < row.size(); ++i) {
    r.ttft[i] = n(kBaseColumnCount + i);
  }
  return r;
}

}  // namespace rollup_sql

std::vector<SpendRollup> rollupsOf(const std::vector<SpendLogRow>& rows) {
  using Key = std::tuple<int64_t, std::string_view, std::string_view, std::string_view,
                         std::string_view, std::string_view, std::string_view>;
  std::map<Key, SpendRollup> sums;
  for (const auto& l : rows) {
    const int64_t hour = l.startMs / 3'600'000;
    auto [it, fresh] = sums.try_emplace(
        Key{hour, l.keyId, l.teamId, l.userId, l.model, l.modelGroup, l.deployment});
    SpendRollup& r = it->second;
    if (fresh) {
      r.hour = hour;
      r.keyId = l.keyId;
      r.teamId = l.teamId;
      r.userId = l.userId;
      r.model = l.model;
      r.modelGroup = l.modelGroup;
      r.deployment = l.deployment;
    }
    r.requests += 1;
    r.promptTokens += l.promptTokens;
    r.completionTokens += l.completionTokens;
    r.totalTokens += l.totalTokens;
    r.cachedTokens += l.cachedTokens;
    r.cacheHits += l.cacheHit ? 1 : 0;
    r.spend += l.spend;
    r.savedUsd += l.savedUsd;
    if (l.ttftMs >= 0) ++r.ttft[ttftBucketOf(l.ttftMs)];
  }
  std::vector<SpendRollup> out;
  out.reserve(sums.size());
  for (auto& [k, r] : sums) out.push_back(std::move(r));
  return out;
}

}  // namespace switchyard
