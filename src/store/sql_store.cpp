// The Store for both SQL backends: one schema, one set of statements; the two dialect
// differences (day bucketing, migration lock) are chosen by the connection.
#include <openssl/rand.h>

#include <array>
#include <boost/json.hpp>
#include <chrono>
#include <cstdio>

#include "store/responses_sql.hpp"
#include "store/spend_rollup_sql.hpp"
#include "store/sql_connection.hpp"
#include "store/store.hpp"

namespace switchyard {

namespace {

// Migrations in order; sy_meta.schema_version says how many ran. Append, never edit.
const std::array<std::string_view, 6> kMigrations = {
    R"sql(
CREATE TABLE IF NOT EXISTS sy_principals (
  kind TEXT NOT NULL, id TEXT NOT NULL, alias TEXT, key_name TEXT, user_id TEXT, team_id TEXT,
  email TEXT, models TEXT NOT NULL, metadata TEXT NOT NULL, max_budget DOUBLE PRECISION,
  soft_budget DOUBLE PRECISION, budget_duration TEXT, budget_reset_at BIGINT NOT NULL DEFAULT 0,
  spend DOUBLE PRECISION NOT NULL DEFAULT 0, tpm_limit BIGINT, rpm_limit BIGINT,
  max_parallel_requests BIGINT, expires_at BIGINT NOT NULL DEFAULT 0,
  blocked INTEGER NOT NULL DEFAULT 0, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL,
  PRIMARY KEY (kind, id));
CREATE TABLE IF NOT EXISTS sy_spend_logs (
  request_id TEXT NOT NULL, api_key TEXT NOT NULL, key_alias TEXT, team_id TEXT NOT NULL,
  user_id TEXT NOT NULL, model TEXT NOT NULL, model_group TEXT, deployment TEXT, provider TEXT,
  start_time BIGINT NOT NULL, end_time BIGINT NOT NULL, prompt_tokens BIGINT NOT NULL,
  completion_tokens BIGINT NOT NULL, total_tokens BIGINT NOT NULL, cached_tokens BIGINT NOT NULL,
  cache_write_tokens BIGINT NOT NULL, reasoning_tokens BIGINT NOT NULL,
  spend DOUBLE PRECISION NOT NULL, cost_known INTEGER NOT NULL, status INTEGER NOT NULL,
  stream INTEGER NOT NULL, request_body TEXT);
CREATE INDEX IF NOT EXISTS sy_spend_logs_time ON sy_spend_logs
  (start_time, spend, total_tokens, api_key, team_id, user_id, model);
CREATE INDEX IF NOT EXISTS sy_spend_logs_key ON sy_spend_logs (api_key, start_time);
CREATE INDEX IF NOT EXISTS sy_spend_logs_team ON sy_spend_logs (team_id, start_time);
CREATE INDEX IF NOT EXISTS sy_spend_logs_user ON sy_spend_logs (user_id, start_time);
CREATE INDEX IF NOT EXISTS sy_spend_logs_request ON sy_spend_logs (request_id);
)sql",
    // The response cache: which rows a hit answered, and what it saved.
    R"sql(
ALTER TABLE sy_spend_logs ADD COLUMN cache_hit INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sy_spend_logs ADD COLUMN saved_spend DOUBLE PRECISION NOT NULL DEFAULT 0;
)sql",
    rollup_sql::kMigration,
    rollup_sql::kTtftMigration,
    // Master-key and keyless requests (empty api_key) leave the key index: nothing looks them up
    // by key, and a gateway serving only the master key then maintains two log indexes, not
    // three. Queries by key repeat the predicate so both backends use the partial index.
    R"sql(
DROP INDEX IF EXISTS sy_spend_logs_key;
CREATE INDEX IF NOT EXISTS sy_spend_logs_key ON sy_spend_logs (api_key, start_time)
  WHERE api_key <> '';
)sql"};

constexpr std::string_view kPrincipalColumns =
    "kind, id, alias, key_name, user_id, team_id, email, models, metadata, max_budget, "
    "soft_budget, budget_duration, budget_reset_at, spend, tpm_limit, rpm_limit, "
    "max_parallel_requests, expires_at, blocked, created_at, updated_at";

constexpr std::string_view kLogColumns =
    "request_id, api_key, key_alias, team_id, user_id, model, model_group, deployment, provider, "
    "start_time, end_time, prompt_tokens, completion_tokens, total_tokens, cached_tokens, "
    "cache_write_tokens, reasoning_tokens, spend, cost_known, status, stream, request_body, "
    "cache_hit, saved_spend";
constexpr size_t kLogColumnCount = 24;
// The PostgreSQL notification channel of key, team and user changes.
constexpr std::string_view kChangeChannel = "sy_principals_changed";

SqlValue optional(const std::optional<double>& v) { return v ? SqlValue(*v) : SqlValue(); }
SqlValue optional(const std::optional<int64_t>& v) { return v ? SqlValue(*v) : SqlValue(); }
SqlValue text(const std::string& s) { return s.empty() ? SqlValue() : SqlValue(s); }

std::string str(const std::optional<std::string>& v) { return v.value_or(std::string()); }
int64_t i64(const std::optional<std::string>& v) { return v ? std::stoll(*v) : 0; }
double f64(const std::optional<std::string>& v) { return v ? std::stod(*v) : 0.0; }
std::optional<int64_t> optI64(const std::optional<std::string>& v) {
  return v ? std::optional<int64_t>(std::stoll(*v)) : std::nullopt;
}
std::optional<double> optF64(const std::optional<std::string>& v) {
  return v ? std::optional<double>(std::stod(*v)) : std::nullopt;
}

// The first whole hour (since the epoch) that starts at or after ms.
int64_t firstHourFrom(int64_t ms) {
  constexpr int64_t kHour = 3'600'000;
  return ms <= 0 ? 0 : (ms + kHour - 1) / kHour;
}

// "2026-11-25" for a count of whole days since 1970-01-01 (UTC).
std::string dayName(int64_t days) {
  const std::chrono::sys_days d{std::chrono::days(days)};
  const std::chrono::year_month_day ymd(d);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return buf;
}

std::optional<PrincipalKind> kindFrom(std::string_view s) {
  if (s == "key") return PrincipalKind::kKey;
  if (s == "team") return PrincipalKind::kTeam;
  if (s == "user") return PrincipalKind::kUser;
  if (s == "end_user") return PrincipalKind::kEndUser;
  return std::nullopt;
}

std::string modelsJson(const std::vector<std::string>& models) {
  boost::json::array a;
  for (const auto& m : models) a.emplace_back(m);
  return boost::json::serialize(a);
}

std::vector<std::string> modelsFrom(const std::string& text) {
  std::vector<std::string> out;
  boost::system::error_code ec;
  auto v = boost::json::parse(text, ec);
  if (ec || !v.is_array()) return out;
  for (const auto& m : v.get_array()) {
    if (m.is_string()) out.emplace_back(m.get_string());
  }
  return out;
}

Principal principalFrom(const SqlRow& r) {
  Principal p;
  p.kind = kindFrom(str(r[0])).value_or(PrincipalKind::kKey);
  p.id = str(r[1]);
  p.alias = str(r[2]);
  p.keyName = str(r[3]);
  p.userId = str(r[4]);
  p.teamId = str(r[5]);
  p.email = str(r[6]);
  p.models = modelsFrom(str(r[7]));
  p.metadata = r[8] ? *r[8] : "{}";
  p.maxBudget = optF64(r[9]);
  p.softBudget = optF64(r[10]);
  p.budgetDuration = str(r[11]);
  p.budgetResetAt = i64(r[12]);
  p.spend = f64(r[13]);
  p.tpmLimit = optI64(r[14]);
  p.rpmLimit = optI64(r[15]);
  p.maxParallelRequests = optI64(r[16]);
  p.expiresAt = i64(r[17]);
  p.blocked = i64(r[18]) != 0;
  p.createdAt = i64(r[19]);
  p.updatedAt = i64(r[20]);
  return p;
}

SpendLogRow logFrom(const SqlRow& r) {
  SpendLogRow l;
  l.requestId = str(r[0]);
  l.keyId = str(r[1]);
  l.keyAlias = str(r[2]);
  l.teamId = str(r[3]);
  l.userId = str(r[4]);
  l.model = str(r[5]);
  l.modelGroup = str(r[6]);
  l.deployment = str(r[7]);
  l.provider = str(r[8]);
  l.startMs = i64(r[9]);
  l.endMs = i64(r[10]);
  l.promptTokens = i64(r[11]);
  l.completionTokens = i64(r[12]);
  l.totalTokens = i64(r[13]);
  l.cachedTokens = i64(r[14]);
  l.cacheWriteTokens = i64(r[15]);
  l.reasoningTokens = i64(r[16]);
  l.spend = f64(r[17]);
  l.costKnown = i64(r[18]) != 0;
  l.status = static_cast<int>(i64(r[19]));
  l.stream = i64(r[20]) != 0;
  l.requestBody = str(r[21]);
  l.cacheHit = i64(r[22]) != 0;
  l.savedUsd = f64(r[23]);
  return l;
}

// Bound in place from the row: the strings stay in the batch until the insert returns.
void bindLog(SqlRowSink& out, const SpendLogRow& l) {
  out.text(l.requestId);
  out.text(l.keyId);
  out.textOrNull(l.keyAlias);
  out.text(l.teamId);
  out.text(l.userId);
  out.text(l.model);
  out.textOrNull(l.modelGroup);
  out.textOrNull(l.deployment);
  out.textOrNull(l.provider);
  out.integer(l.startMs);
  out.integer(l.endMs);
  out.integer(l.promptTokens);
  out.integer(l.completionTokens);
  out.integer(l.totalTokens);
  out.integer(l.cachedTokens);
  out.integer(l.cacheWriteTokens);
  out.integer(l.reasoningTokens);
  out.real(l.spend);
  out.integer(l.costKnown);
  out.integer(l.status);
  out.integer(l.stream);
  out.textOrNull(l.requestBody);
  out.integer(l.cacheHit);
  out.real(l.savedUsd);
}

class SqlStore : public Store {
 public:
  explicit SqlStore(std::unique_ptr<SqlConnection> db) : db_(std::move(db)) {}

  std::string_view backend() const override { return db_->isPostgres() ? "postgresql" : "sqlite"; }

  Result<void> migrate() {
    // Several instances may start at once against one PostgreSQL: one migrates, the others wait.
    const char* begin = db_->isPostgres() ? "BEGIN" : "BEGIN IMMEDIATE";
    if (auto r = db_->query(begin); !r) return r.error();
    if (db_->isPostgres()) {
      if (auto r = db_->query("SELECT pg_advisory_xact_lock(7405071)"); !r)
        return rollback(r.error());
    }
    if (auto r = db_->query(
            "CREATE TABLE IF NOT EXISTS sy_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)");
        !r) {
      return rollback(r.error());
    }
    auto version = db_->query("SELECT value FROM sy_meta WHERE name = 'schema_version'");
    if (!version) return rollback(version.error());
    size_t done = version->empty() ? 0 : static_cast<size_t>(i64((*version)[0][0]));
    for (size_t i = done; i < kMigrations.size(); ++i) {
      if (auto r = runScript(kMigrations[i]); !r) return rollback(r.error());
    }
    if (done != kMigrations.size()) {
      auto r = db_->query(
          "INSERT INTO sy_meta (name, value) VALUES ('schema_version', ?) ON CONFLICT (name) DO "
          "UPDATE SET value = excluded.value",
          {std::to_string(kMigrations.size())});
      if (!r) return rollback(r.error());
    }
    if (auto r = db_->query("COMMIT"); !r) return r.error();
    return {};
  }

  Result<std::string> keySalt() override {
    auto rows = db_->query("SELECT value FROM sy_meta WHERE name = 'key_salt'");
    if (!rows) return rows.error();
    if (!rows->empty()) return str((*rows)[0][0]);
    unsigned char bytes[16];
    RAND_bytes(bytes, sizeof bytes);
    std::string salt;
    static constexpr char kHex[] = "0123456789abcdef";
    for (unsigned char b : bytes) {
      salt += kHex[b >> 4];
      salt += kHex[b & 15];
    }
    // Two instances racing here: the first salt wins and both read it back.
    auto ins = db_->query(
        "INSERT INTO sy_meta (name, value) VALUES ('key_salt', ?) ON CONFLICT (name) DO NOTHING",
        {salt});
    if (!ins) return ins.error();
    return keySalt();
  }

  Result<void> put(const Principal& p) override {
    const std::string sql = "INSERT INTO sy_principals (" + std::string(kPrincipalColumns) +
                            ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT "
                            "(kind, id) DO UPDATE SET alias = excluded.alias, key_name = "
                            "excluded.key_name, user_id = excluded.user_id, team_id = "
                            "excluded.team_id, email = excluded.email, models = excluded.models, "
                            "metadata = excluded.metadata, max_budget = excluded.max_budget, "
                            "soft_budget = excluded.soft_budget, budget_duration = "
                            "excluded.budget_duration, budget_reset_at = "
                            "excluded.budget_reset_at, tpm_limit = excluded.tpm_limit, rpm_limit "
                            "= excluded.rpm_limit, max_parallel_requests = "
                            "excluded.max_parallel_requests, expires_at = excluded.expires_at, "
                            "blocked = excluded.blocked, updated_at = excluded.updated_at";
    // spend is left alone on update: the batch writer owns it.
    auto r = db_->query(sql, {std::string(kindName(p.kind)),
                              p.id,
                              text(p.alias),
                              text(p.keyName),
                              text(p.userId),
                              text(p.teamId),
                              text(p.email),
                              modelsJson(p.models),
                              p.metadata,
                              optional(p.maxBudget),
                              optional(p.softBudget),
                              text(p.budgetDuration),
                              p.budgetResetAt,
                              p.spend,
                              optional(p.tpmLimit),
                              optional(p.rpmLimit),
                              optional(p.maxParallelRequests),
                              p.expiresAt,
                              int64_t{p.blocked},
                              p.createdAt,
                              p.updatedAt});
    if (!r) return r.error();
    announceChange();
    return {};
  }

  Result<bool> awaitChange(std::chrono::milliseconds timeout) override {
    return db_->awaitNotification(kChangeChannel, timeout);
  }

  Result<std::optional<Principal>> get(PrincipalKind kind, std::string_view id) override {
    auto rows = db_->query("SELECT " + std::string(kPrincipalColumns) +
                               " FROM sy_principals WHERE kind = ? AND id = ?",
                           {std::string(kindName(kind)), std::string(id)});
    if (!rows) return rows.error();
    if (rows->empty()) return std::optional<Principal>();
    return std::optional<Principal>(principalFrom((*rows)[0]));
  }

  Result<bool> remove(PrincipalKind kind, std::string_view id) override {
    auto r = db_->query("DELETE FROM sy_principals WHERE kind = ? AND id = ?",
                        {std::string(kindName(kind)), std::string(id)});
    if (!r) return r.error();
    const bool removed = db_->changes() > 0;
    if (removed) announceChange();
    return removed;
  }

  Result<std::vector<Principal>> list(std::optional<PrincipalKind> kind) override {
    std::string sql = "SELECT " + std::string(kPrincipalColumns) + " FROM sy_principals";
    std::vector<SqlValue> params;
    if (kind) {
      sql += " WHERE kind = ?";
      params.emplace_back(std::string(kindName(*kind)));
    }
    sql += " ORDER BY created_at, id";
    auto rows = db_->query(sql, params);
    if (!rows) return rows.error();
    std::vector<Principal> out;
    out.reserve(rows->size());
    for (const auto& r : *rows) out.push_back(principalFrom(r));
    return out;
  }

  Result<void> writeBatch(const SpendBatch& batch) override {
    if (auto r = db_->query("BEGIN"); !r) return r.error();
    for (const auto& reset : batch.resets) {
      auto r = db_->query(
          "UPDATE sy_principals SET spend = 0, budget_reset_at = ? WHERE kind = ? AND id = ? "
          "AND budget_reset_at = ?",
          {reset.nextResetAt, std::string(kindName(reset.kind)), reset.id, reset.previousResetAt});
      if (!r) return rollback(r.error());
    }
    for (const auto& d : batch.deltas) {
      // An end user exists once it spent (LiteLLM upserts its customers the same way); keys,
      // teams and users only through the admin API, so a deleted one stays deleted.
      auto r =
          d.kind == PrincipalKind::kEndUser
              ? db_->query(
                    "INSERT INTO sy_principals (kind, id, models, metadata, spend, created_at, "
                    "updated_at) VALUES ('end_user', ?, '[]', '{}', ?, ?, ?) ON CONFLICT "
                    "(kind, id) DO UPDATE SET spend = sy_principals.spend + excluded.spend",
                    {d.id, d.usd, batch.nowMs, batch.nowMs})
              : db_->query("UPDATE sy_principals SET spend = spend + ? WHERE kind = ? AND id = ?",
                           {d.usd, std::string(kindName(d.kind)), d.id});
      if (!r) return rollback(r.error());
    }
    // A handful per batch: their values are built first, so that they outlive the insert.
    std::vector<SqlValue> rollupParams;
    rollupParams.reserve(batch.rollups.size() * rollup_sql::kColumnCount);
    for (const auto& r : batch.rollups) rollup_sql::appendParams(rollupParams, r);
    const size_t columns = rollupParams.size() / std::max<size_t>(batch.rollups.size(), 1);
    auto rollupsWritten = db_->insertRows(rollup_sql::upsertSql, batch.rollups.size(),
                                          [&](size_t i, SqlRowSink& out) {
                                            for (size_t c = i * columns; c < (i + 1) * columns; ++c)
                                              out.value(rollupParams[c]);
                                          });
    if (!rollupsWritten) return rollback(rollupsWritten.error());
    const auto& logs = batch.logs;
    auto logsWritten = db_->insertRows(insertSql, logs.size(),
                                       [&](size_t i, SqlRowSink& out) { bindLog(out, logs[i]); });
    if (!logsWritten) return rollback(logsWritten.error());
    if (auto r = db_->query("COMMIT"); !r) return rollback(r.error());
    return {};
  }

  Result<int64_t> pruneSpendLogs(int64_t olderThanMs, int64_t maxRows) override {
    int64_t deleted = 0;
    if (olderThanMs > 0) {
      auto r = db_->query("DELETE FROM sy_spend_logs WHERE start_time < ?", {olderThanMs});
      if (!r) return r.error();
      deleted += db_->changes();
    }
    if (maxRows > 0) {
      // The start time of the first row beyond the cap, newest first; it and everything older
      // goes (rows sharing that millisecond too, so the table ends at most at the cap).
      auto edge = db_->query(
          "SELECT start_time FROM sy_spend_logs ORDER BY start_time DESC LIMIT 1 OFFSET ?",
          {maxRows});
      if (!edge) return edge.error();
      if (!edge->empty()) {
        auto r =
            db_->query("DELETE FROM sy_spend_logs WHERE start_time <= ?", {i64((*edge)[0][0])});
        if (!r) return r.error();
        deleted += db_->changes();
      }
    }
    return deleted;
  }

  Result<std::vector<SpendLogRow>> spendLogs(const SpendQuery& q) override {
    std::string sql =
        "SELECT " + std::string(kLogColumns) + " FROM sy_spend_logs WHERE start_time >= ?";
    std::vector<SqlValue> params{q.startMs};
    if (q.endMs > 0) {
      sql += " AND start_time < ?";
      params.emplace_back(q.endMs);
    }
    const std::pair<const char*, const std::string*> filters[] = {{"api_key", &q.keyId},
                                                                  {"team_id", &q.teamId},
                                                                  {"user_id", &q.userId},
                                                                  {"request_id", &q.requestId},
                                                                  {"model", &q.model}};
    for (const auto& [column, value] : filters) {
      if (value->empty()) continue;
      sql += std::string(" AND ") + column + " = ?";
      params.emplace_back(*value);
    }
    // The key index holds only non-empty keys (migration 5); a planner uses it only when the
    // query states the same predicate.
    if (!q.keyId.empty()) sql += " AND api_key <> ''";
    sql += " ORDER BY start_time DESC LIMIT ?";
    params.emplace_back(q.limit);
    auto rows = db_->query(sql, params);
    if (!rows) return rows.error();
    std::vector<SpendLogRow> out;
    out.reserve(rows->size());
    for (const auto& r : *rows) out.push_back(logFrom(r));
    return out;
  }

  Result<std::vector<SpendGroupRow>> spendReport(ReportGroup group, int64_t startMs,
                                                 int64_t endMs) override {
    std::string expr;
    switch (group) {
      case ReportGroup::kKey:
        expr = "api_key";
        break;
      case ReportGroup::kTeam:
        expr = "team_id";
        break;
      case ReportGroup::kUser:
        expr = "user_id";
        break;
      case ReportGroup::kModel:
        expr = "model";
        break;
      // Whole days since the epoch, named below: no per-row date formatting in SQL.
      case ReportGroup::kDay:
        expr = "hour / 24";
        break;
    }
    // Hours whose start lies in [startMs, endMs).
    auto rows =
        db_->query("SELECT " + expr +
                       " AS g, SUM(spend), SUM(total_tokens), SUM(requests) FROM "
                       "sy_spend_rollups WHERE hour >= ? AND hour < ? GROUP BY g ORDER BY g",
                   {firstHourFrom(startMs), firstHourFrom(endMs)});
    if (!rows) return rows.error();
    std::vector<SpendGroupRow> out;
    for (const auto& r : *rows) {
      std::string name = group == ReportGroup::kDay ? dayName(i64(r[0])) : str(r[0]);
      out.push_back({std::move(name), f64(r[1]), i64(r[2]), i64(r[3])});
    }
    return out;
  }

  Result<std::vector<SpendRollup>> spendRollups(int64_t startMs, int64_t endMs) override {
    auto rows = db_->query("SELECT " + rollup_sql::columns() +
                               " FROM sy_spend_rollups WHERE hour >= ? AND hour < ? ORDER BY hour",
                           {firstHourFrom(startMs), firstHourFrom(endMs)});
    if (!rows) return rows.error();
    std::vector<SpendRollup> out;
    out.reserve(rows->size());
    for (const auto& r : *rows) out.push_back(rollup_sql::rollupFrom(r));
    return out;
  }

  Result<void> writeResponses(const std::vector<StoredResponse>& puts,
                              const std::vector<std::string>& deletes, int64_t nowMs) override {
    return writeResponseRows(*db_, puts, deletes, nowMs);
  }
  Result<std::vector<StoredResponse>> loadResponses(int64_t nowMs, size_t maxBytes) override {
    return loadResponseRows(*db_, nowMs, maxBytes);
  }
  Result<std::optional<StoredResponse>> loadResponse(std::string_view id, int64_t nowMs) override {
    return loadResponseRow(*db_, id, nowMs);
  }

 private:
  // Other instances on the same PostgreSQL re-read keys, teams and users at once instead of at
  // their next timed refresh. The change itself is committed already: a failed NOTIFY only
  // delays what they see, so it is not an error of the write.
  void announceChange() {
    if (db_->isPostgres())
      (void)db_->query("SELECT pg_notify(?, '')", {std::string(kChangeChannel)});
  }

  Error rollback(Error e) {
    (void)db_->query("ROLLBACK");
    return e;
  }

  // Statements separated by ';' (none of ours has one inside a literal).
  Result<void> runScript(std::string_view script) {
    while (!script.empty()) {
      const size_t end = script.find(';');
      std::string_view stmt = script.substr(0, end);
      script = end == std::string_view::npos ? std::string_view() : script.substr(end + 1);
      if (stmt.find_first_not_of(" \n\t") == std::string_view::npos) continue;
      if (auto r = db_->query(stmt); !r) return r.error();
    }
    return {};
  }

  static std::string insertSql(size_t rows) {
    std::string tuple = "(";
    for (size_t c = 0; c < kLogColumnCount; ++c) tuple += c ? ",?" : "?";
    tuple += ")";
    std::string sql = "INSERT INTO sy_spend_logs (" + std::string(kLogColumns) + ") VALUES ";
    for (size_t i = 0; i < rows; ++i) sql += (i ? "," : "") + tuple;
    return sql;
  }

  std::unique_ptr<SqlConnection> db_;
};

std::string sqlitePath(const std::string& url) {
  if (url.empty()) return "switchyard.db";
  if (url.starts_with("sqlite:///")) return url.substr(9);  // keeps the leading '/'
  if (url.starts_with("sqlite://")) return url.substr(9);
  if (url.starts_with("sqlite:")) return url.substr(7);
  return url;
}

}  // namespace

std::string_view kindName(PrincipalKind k) {
  switch (k) {
    case PrincipalKind::kKey:
      return "key";
    case PrincipalKind::kTeam:
      return "team";
    case PrincipalKind::kUser:
      return "user";
    case PrincipalKind::kEndUser:
      return "end_user";
  }
  return "key";
}

Result<std::unique_ptr<Store>> openStore(const std::string& url) {
  const bool postgres = url.starts_with("postgresql://") || url.starts_with("postgres://");
  auto conn = postgres ? openPostgres(url) : openSqlite(sqlitePath(url));
  if (!conn) return conn.error();
  auto store = std::make_unique<SqlStore>(std::move(*conn));
  if (auto r = store->migrate(); !r) return r.error();
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace switchyard
