#include "store/responses_sql.hpp"

namespace switchyard {

namespace {

std::string str(const std::optional<std::string>& v) { return v.value_or(std::string()); }
int64_t i64(const std::optional<std::string>& v) { return v ? std::stoll(*v) : 0; }

constexpr std::string_view kCreate[] = {
    "CREATE TABLE IF NOT EXISTS sy_responses (id TEXT PRIMARY KEY, owner TEXT NOT NULL, "
    "created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL, model TEXT NOT NULL, deployment "
    "TEXT, input_items TEXT NOT NULL, response TEXT NOT NULL, team TEXT)",
    "CREATE INDEX IF NOT EXISTS sy_responses_expiry ON sy_responses (expires_at)"};

constexpr std::string_view kColumns =
    "id, owner, created_at, expires_at, model, deployment, input_items, response, team";

Result<void> createOnce(SqlConnection& db, std::string_view sql) {
  // Two PostgreSQL instances creating it at once: one fails on the catalog, and then it exists.
  if (auto r = db.query(sql); !r) {
    if (!db.isPostgres()) return r.error();
    if (auto again = db.query(sql); !again) return again.error();
  }
  return {};
}

Result<void> ensureTable(SqlConnection& db) {
  for (auto sql : kCreate) {
    if (auto r = createOnce(db, sql); !r) return r.error();
  }
  // A table from before responses_store_scope has no team column (SQLite has no ADD COLUMN IF
  // NOT EXISTS: the column is probed first).
  if (!db.query("SELECT team FROM sy_responses WHERE 1 = 0")) {
    if (auto r = createOnce(db, db.isPostgres()
                                    ? "ALTER TABLE sy_responses ADD COLUMN IF NOT EXISTS team TEXT"
                                    : "ALTER TABLE sy_responses ADD COLUMN team TEXT");
        !r) {
      return r.error();
    }
  }
  return {};
}

StoredResponse rowOf(const SqlRow& r) {
  return StoredResponse{str(r[0]), str(r[1]), str(r[8]), i64(r[2]), i64(r[3]),
                        str(r[4]), str(r[5]), str(r[6]), str(r[7])};
}

Error rollback(SqlConnection& db, Error e) {
  (void)db.query("ROLLBACK");
  return e;
}

}  // namespace

Result<void> writeResponseRows(SqlConnection& db, const std::vector<StoredResponse>& puts,
                               const std::vector<std::string>& deletes, int64_t nowMs) {
  if (auto r = ensureTable(db); !r) return r.error();
  if (auto r = db.query("BEGIN"); !r) return r.error();
  for (const auto& id : deletes) {
    if (auto r = db.query("DELETE FROM sy_responses WHERE id = ?", {id}); !r) {
      return rollback(db, r.error());
    }
  }
  if (auto r = db.query("DELETE FROM sy_responses WHERE expires_at <= ?", {nowMs}); !r) {
    return rollback(db, r.error());
  }
  const std::string insert =
      "INSERT INTO sy_responses (" + std::string(kColumns) +
      ") VALUES (?,?,?,?,?,?,?,?,?) ON CONFLICT (id) DO UPDATE SET owner = "
      "excluded.owner, team = excluded.team, created_at = excluded.created_at, expires_at = "
      "excluded.expires_at, model = excluded.model, deployment = "
      "excluded.deployment, input_items = excluded.input_items, response = "
      "excluded.response";
  for (const auto& p : puts) {
    auto r =
        db.query(insert, {p.id, p.owner, p.createdAt, p.expiresAt, p.model,
                          p.deployment.empty() ? SqlValue() : SqlValue(p.deployment), p.inputItems,
                          p.response, p.team.empty() ? SqlValue() : SqlValue(p.team)});
    if (!r) return rollback(db, r.error());
  }
  if (auto r = db.query("COMMIT"); !r) return rollback(db, r.error());
  return {};
}

Result<std::vector<StoredResponse>> loadResponseRows(SqlConnection& db, int64_t nowMs,
                                                     size_t maxBytes) {
  if (auto r = ensureTable(db); !r) return r.error();
  auto rows = db.query("SELECT " + std::string(kColumns) +
                           " FROM sy_responses WHERE expires_at > ? ORDER BY created_at DESC, id",
                       {nowMs});
  if (!rows) return rows.error();
  std::vector<StoredResponse> out;
  size_t bytes = 0;
  for (const auto& r : *rows) {
    StoredResponse s = rowOf(r);
    bytes += s.bytes();
    if (bytes > maxBytes) break;
    out.push_back(std::move(s));
  }
  return out;
}

Result<std::optional<StoredResponse>> loadResponseRow(SqlConnection& db, std::string_view id,
                                                      int64_t nowMs) {
  auto rows = db.query(
      "SELECT " + std::string(kColumns) + " FROM sy_responses WHERE id = ? AND expires_at > ?",
      {std::string(id), nowMs});
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<StoredResponse>();
  return std::optional<StoredResponse>(rowOf(rows->front()));
}

}  // namespace switchyard
