#include "store/responses_sql.hpp"

namespace switchyard {

namespace {

constexpr std::string_view kCreate[] = {
    "CREATE TABLE IF NOT EXISTS sy_responses (id TEXT PRIMARY KEY, owner TEXT NOT NULL, "
    "created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL, model TEXT NOT NULL, deployment "
    "TEXT, input_items TEXT NOT NULL, response TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS sy_responses_expiry ON sy_responses (expires_at)"};

constexpr std::string_view kColumns =
    "id, owner, created_at, expires_at, model, deployment, input_items, response";

Result<void> ensureTable(SqlConnection& db) {
  for (auto sql : kCreate) {
    // Two PostgreSQL instances creating it at once: one fails on the catalog, and then it exists.
    if (auto r = db.query(sql); !r) {
      if (!db.isPostgres()) return r.error();
      if (auto again = db.query(sql); !again) return again.error();
    }
  }
  return {};
}

std::string str(const std::optional<std::string>& v) { return v.value_or(std::string()); }
int64_t i64(const std::optional<std::string>& v) { return v ? std::stoll(*v) : 0; }

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
  const std::string insert = "INSERT INTO sy_responses (" + std::string(kColumns) +
                             ") VALUES (?,?,?,?,?,?,?,?) ON CONFLICT (id) DO UPDATE SET owner = "
                             "excluded.owner, created_at = excluded.created_at, expires_at = "
                             "excluded.expires_at, model = excluded.model, deployment = "
                             "excluded.deployment, input_items = excluded.input_items, response = "
                             "excluded.response";
  for (const auto& p : puts) {
    auto r = db.query(insert, {p.id, p.owner, p.createdAt, p.expiresAt, p.model,
                               p.deployment.empty() ? SqlValue() : SqlValue(p.deployment),
                               p.inputItems, p.response});
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
    StoredResponse s{str(r[0]), str(r[1]), i64(r[2]), i64(r[3]),
                     str(r[4]), str(r[5]), str(r[6]), str(r[7])};
    bytes += s.bytes();
    if (bytes > maxBytes) break;
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace switchyard
