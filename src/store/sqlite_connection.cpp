#include <sqlite3.h>

#include <unordered_map>

#include "store/sql_connection.hpp"

namespace switchyard {

namespace {

Error sqliteError(sqlite3* db, std::string_view what) {
  return Error::make(ErrorClass::kInternal,
                     std::string("sqlite: ") + std::string(what) + ": " + sqlite3_errmsg(db));
}

class SqliteConnection : public SqlConnection {
 public:
  explicit SqliteConnection(sqlite3* db) : db_(db) {}
  ~SqliteConnection() override {
    for (auto& [sql, stmt] : statements_) sqlite3_finalize(stmt);
    sqlite3_close(db_);
  }
  bool isPostgres() const override { return false; }
  int64_t changes() const override { return sqlite3_changes(db_); }
  Result<bool> awaitNotification(std::string_view, std::chrono::milliseconds) override {
    return Error::make(ErrorClass::kInternal, "sqlite: no change notifications");
  }

  Result<std::vector<SqlRow>> query(std::string_view sql,
                                    const std::vector<SqlValue>& params) override {
    auto stmt = prepare(sql);
    if (!stmt) return stmt.error();
    sqlite3_stmt* s = *stmt;
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    for (size_t i = 0; i < params.size(); ++i) bind(s, static_cast<int>(i + 1), params[i]);
    std::vector<SqlRow> rows;
    const int columns = sqlite3_column_count(s);
    while (true) {
      const int rc = sqlite3_step(s);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) {
        Error e = sqliteError(db_, sql.substr(0, 60));
        sqlite3_reset(s);
        return e;
      }
      SqlRow row(columns);
      for (int c = 0; c < columns; ++c) {
        if (sqlite3_column_type(s, c) == SQLITE_NULL) continue;
        const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(s, c));
        row[c] = std::string(text, sqlite3_column_bytes(s, c));
      }
      rows.push_back(std::move(row));
    }
    sqlite3_reset(s);
    return rows;
  }

  Result<void> insertRows(const SqlInsertText& sql, size_t count, const SqlRowFill& fill) override {
    if (count == 0) return {};
    const std::string text = sql(1);
    auto stmt = prepare(text);
    if (!stmt) return stmt.error();
    Binder binder(*stmt);
    Result<void> out;
    for (size_t i = 0; i < count && out; ++i) {
      binder.next = 1;
      fill(i, binder);
      if (sqlite3_step(*stmt) != SQLITE_DONE) out = sqliteError(db_, text.substr(0, 60));
      sqlite3_reset(*stmt);
    }
    // The text was bound by reference: the cached statement must not keep pointers to it.
    sqlite3_clear_bindings(*stmt);
    return out;
  }

 private:
  // Binds in place: text as SQLITE_STATIC, valid until the row is stepped (insertRows' contract).
  struct Binder final : SqlRowSink {
    explicit Binder(sqlite3_stmt* s) : stmt(s) {}
    void integer(int64_t v) override { sqlite3_bind_int64(stmt, next++, v); }
    void real(double v) override { sqlite3_bind_double(stmt, next++, v); }
    void text(std::string_view v) override {
      // A null pointer would bind NULL: empty text stays text.
      sqlite3_bind_text(stmt, next++, v.data() ? v.data() : "", static_cast<int>(v.size()),
                        SQLITE_STATIC);
    }
    void null() override { sqlite3_bind_null(stmt, next++); }
    sqlite3_stmt* stmt;
    int next = 1;
  };

  // Statements are prepared once per connection: the batch writer runs the same few many times.
  Result<sqlite3_stmt*> prepare(std::string_view sql) {
    auto it = statements_.find(std::string(sql));
    if (it != statements_.end()) return it->second;
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr) !=
        SQLITE_OK) {
      return sqliteError(db_, "prepare " + std::string(sql.substr(0, 60)));
    }
    statements_.emplace(std::string(sql), stmt);
    return stmt;
  }

  static void bind(sqlite3_stmt* s, int index, const SqlValue& v) {
    if (const auto* i = std::get_if<int64_t>(&v)) {
      sqlite3_bind_int64(s, index, *i);
    } else if (const auto* d = std::get_if<double>(&v)) {
      sqlite3_bind_double(s, index, *d);
    } else if (const auto* t = std::get_if<std::string>(&v)) {
      sqlite3_bind_text(s, index, t->data(), static_cast<int>(t->size()), SQLITE_TRANSIENT);
    } else {
      sqlite3_bind_null(s, index);
    }
  }

  sqlite3* db_;
  std::unordered_map<std::string, sqlite3_stmt*> statements_;
};

}  // namespace

Result<std::unique_ptr<SqlConnection>> openSqlite(const std::string& path) {
  sqlite3* db = nullptr;
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  if (sqlite3_open_v2(path.c_str(), &db, flags, nullptr) != SQLITE_OK) {
    Error e = Error::make(ErrorClass::kInternal, "sqlite: cannot open " + path + ": " +
                                                     (db ? sqlite3_errmsg(db) : "out of memory"));
    sqlite3_close(db);
    return e;
  }
  auto conn = std::make_unique<SqliteConnection>(db);
  // The wait for a lock comes first: switching to WAL needs the database to itself for a moment,
  // and a process that used the file just before (a restart) may still hold it.
  // WAL: readers (admin queries) never block the writer thread; NORMAL sync is durable against a
  // process crash, which is what the batch window promises.
  for (const char* pragma :
       {"PRAGMA busy_timeout=5000", "PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL",
        // 8 MiB of page cache per connection (several are open): the spend logs' indexes take
        // new rows at their right edges (time, time-ordered request ids) and at one place per
        // key, so their hot pages are few; a larger cache only added RSS (44.6 MiB under
        // make bench's load with 16 MiB).
        "PRAGMA cache_size=-8192"}) {
    if (auto r = conn->query(pragma, {}); !r) return r.error();
  }
  return std::unique_ptr<SqlConnection>(std::move(conn));
}

}  // namespace switchyard
