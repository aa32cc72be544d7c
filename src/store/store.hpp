#pragma once
// Persistence of keys, teams, users and spend behind one interface. The SQL lives in
// sql_store.cpp once for both backends (SQLite by default, PostgreSQL to share between
// instances); each thread that needs the database opens its own Store.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "store/stored_response.hpp"
#include "store/ttft_histogram.hpp"

namespace switchyard {

// kEndUser: LiteLLM's customer, the `user` a client names in its request body (not a key's owner).
enum class PrincipalKind { kKey, kTeam, kUser, kEndUser };
inline constexpr int kPrincipalKinds = 4;
std::string_view kindName(PrincipalKind k);  // "key", "team", "user", "end_user"

// A virtual key, a team, a user or an end user: who spends, within which limits. Keys are stored
// by the hash of the key (id); the key itself is never stored.
struct Principal {
  PrincipalKind kind = PrincipalKind::kKey;
  std::string id;                   // key: salted SHA-256 of the key (hex); team_id; user_id
  std::string alias;                // key_alias / team_alias
  std::string keyName;              // keys: "sk-...abcd", enough to recognise a key, not to use it
  std::string userId;               // keys: owner
  std::string teamId;               // keys and users: team
  std::string email;                // users
  std::vector<std::string> models;  // allowed model names; empty: all
  std::string metadata = "{}";      // a JSON object, as given
  std::optional<double> maxBudget;
  std::optional<double> softBudget;
  std::string budgetDuration;  // "30d", "1h", ...; empty: the budget never resets
  int64_t budgetResetAt = 0;   // unix ms of the next reset; 0: none
  double spend = 0.0;          // USD in the current budget period
  std::optional<int64_t> tpmLimit;
  std::optional<int64_t> rpmLimit;
  std::optional<int64_t> maxParallelRequests;
  int64_t expiresAt = 0;  // unix ms; 0: never
  bool blocked = false;
  int64_t createdAt = 0;
  int64_t updatedAt = 0;
};

// One finished request, as /spend/logs shows it.
struct SpendLogRow {
  std::string requestId;
  std::string keyId;  // the key's hash; empty for master-key requests
  std::string keyAlias;
  std::string teamId;
  std::string userId;
  // The end user (the body's `user`) whose spend this is; it goes to that end user's record.
  std::string endUser;
  std::string model;  // what the upstream was asked for
  std::string modelGroup;
  std::string deployment;
  std::string provider;
  int64_t startMs = 0;
  int64_t endMs = 0;
  int64_t promptTokens = 0;
  int64_t completionTokens = 0;
  int64_t totalTokens = 0;
  int64_t cachedTokens = 0;
  int64_t cacheWriteTokens = 0;
  int64_t reasoningTokens = 0;
  double spend = 0.0;
  bool costKnown = false;
  int status = 0;
  bool stream = false;
  bool cacheHit = false;    // answered from the response cache
  double savedUsd = 0.0;    // a hit: what the answer cost when it was fetched
  std::string requestBody;  // only when general_settings.store_prompts_in_spend_logs
  // Streams: milliseconds from arrival to the first token sent; -1 when none was (not a stream,
  // or it failed first). Counted in the rollups' TTFT buckets, not stored per row.
  int64_t ttftMs = -1;
};

// A budget period that ended: spend back to 0 and the next reset time, applied only if nobody
// (another instance) reset it already.
struct BudgetReset {
  PrincipalKind kind;
  std::string id;
  int64_t previousResetAt;
  int64_t nextResetAt;
};

struct SpendDelta {
  PrincipalKind kind;
  std::string id;
  double usd;
};

struct SpendQuery {
  std::string keyId, teamId, userId, requestId, model;
  int64_t startMs = 0;
  int64_t endMs = 0;  // exclusive; 0: no upper bound
  int64_t limit = 100;
};

enum class ReportGroup { kKey, kTeam, kUser, kModel, kDay };

// One hour's totals for one key x team x user x model x deployment. Reports and the admin API
// read these, so their cost does not grow with the number of requests; a batch of any size adds
// a handful of rows (one per combination it touched).
struct SpendRollup {
  int64_t hour = 0;  // start_time / 3,600,000 (hours since the epoch, UTC)
  std::string keyId, teamId, userId, model, modelGroup, deployment;
  int64_t requests = 0;
  int64_t promptTokens = 0;
  int64_t completionTokens = 0;
  int64_t totalTokens = 0;
  int64_t cachedTokens = 0;
  int64_t cacheHits = 0;
  double spend = 0.0;
  double savedUsd = 0.0;
  TtftCounts ttft{};  // streamed requests' times to first token (store/ttft_histogram.hpp)
};

// The rollups a set of finished requests adds up to, one per hour and combination.
std::vector<SpendRollup> rollupsOf(const std::vector<SpendLogRow>& rows);

// What one flush of the spend writer commits, in one transaction and in this order.
struct SpendBatch {
  std::vector<BudgetReset> resets;
  std::vector<SpendDelta> deltas;
  std::vector<SpendRollup> rollups;
  std::vector<SpendLogRow> logs;  // empty when general_settings.disable_spend_logs
  int64_t nowMs = 0;              // unix ms: when an end user first seen here is created
};

struct SpendGroupRow {
  std::string group;
  double spend = 0.0;
  int64_t totalTokens = 0;
  int64_t requests = 0;
};

class Store {
 public:
  virtual ~Store() = default;
  virtual std::string_view backend() const = 0;  // "sqlite" / "postgresql"

  // A random value kept in the database, mixed into every key hash.
  virtual Result<std::string> keySalt() = 0;

  virtual Result<void> put(const Principal& p) = 0;  // insert or replace
  virtual Result<std::optional<Principal>> get(PrincipalKind kind, std::string_view id) = 0;
  virtual Result<bool> remove(PrincipalKind kind, std::string_view id) = 0;
  virtual Result<std::vector<Principal>> list(std::optional<PrincipalKind> kind) = 0;

  // PostgreSQL shared by several instances: put() and remove() announce the change (NOTIFY),
  // and this waits up to timeout for an announcement from any instance (LISTEN on first call);
  // false when none came. Other backends have nothing to wait for: kUnsupported.
  virtual Result<bool> awaitChange(std::chrono::milliseconds timeout) = 0;

  // One transaction: resets, then spend increments, then rollups, then the log rows.
  virtual Result<void> writeBatch(const SpendBatch& batch) = 0;
  // The same for log rows alone, with the rollups they add up to.
  Result<void> writeBatch(const std::vector<SpendLogRow>& rows,
                          const std::vector<SpendDelta>& deltas,
                          const std::vector<BudgetReset>& resets) {
    return writeBatch(SpendBatch{resets, deltas, rollupsOf(rows), rows});
  }
  virtual Result<std::vector<SpendLogRow>> spendLogs(const SpendQuery& q) = 0;
  // Totals per group over the hourly rollups whose hour starts in [startMs, endMs).
  virtual Result<std::vector<SpendGroupRow>> spendReport(ReportGroup group, int64_t startMs,
                                                         int64_t endMs) = 0;
  // Rollups whose hour starts in [startMs, endMs), oldest first.
  virtual Result<std::vector<SpendRollup>> spendRollups(int64_t startMs, int64_t endMs) = 0;
  // Retention: deletes log rows that started before olderThanMs (0: no age limit), then the
  // oldest rows beyond maxRows (0: no cap). Rollups are kept. Answers the rows deleted.
  virtual Result<int64_t> pruneSpendLogs(int64_t olderThanMs, int64_t maxRows) = 0;

  // Stored Responses API responses (table sy_responses, store/responses_sql.cpp). One
  // transaction: the deletes, then rows expired at `nowMs`, then the puts (insert or replace).
  virtual Result<void> writeResponses(const std::vector<StoredResponse>& puts,
                                      const std::vector<std::string>& deletes, int64_t nowMs) = 0;
  // Those not expired at `nowMs`, newest first, until they hold `maxBytes`.
  virtual Result<std::vector<StoredResponse>> loadResponses(int64_t nowMs, size_t maxBytes) = 0;
  // One of them by id (nullopt: none, or expired). The table must exist (loadResponses made it).
  virtual Result<std::optional<StoredResponse>> loadResponse(std::string_view id,
                                                             int64_t nowMs) = 0;
};

// Opens (and creates or migrates) the store a database_url names: "postgresql://..." or
// "postgres://..." for PostgreSQL; "sqlite:///abs/path", "sqlite://rel/path", a plain path, or
// empty (./switchyard.db) for SQLite.
Result<std::unique_ptr<Store>> openStore(const std::string& databaseUrl);

}  // namespace switchyard
