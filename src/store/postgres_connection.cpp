#include <libpq-fe.h>
#include <poll.h>

#include <algorithm>
#include <charconv>

#include "store/sql_connection.hpp"

namespace switchyard {

namespace {

// `?` placeholders become $1, $2, ...; the store's SQL has no `?` inside string literals.
std::string numberedPlaceholders(std::string_view sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  int n = 0;
  for (char c : sql) {
    if (c == '?') {
      out += '$';
      out += std::to_string(++n);
    } else {
      out += c;
    }
  }
  return out;
}

std::optional<std::string> asText(const SqlValue& v) {
  if (const auto* i = std::get_if<int64_t>(&v)) return std::to_string(*i);
  if (const auto* d = std::get_if<double>(&v)) {
    char buf[64];
    auto r = std::to_chars(buf, buf + sizeof buf, *d);  // shortest exact form
    return std::string(buf, r.ptr);
  }
  if (const auto* t = std::get_if<std::string>(&v)) return *t;
  return std::nullopt;
}

class PostgresConnection : public SqlConnection {
 public:
  explicit PostgresConnection(PGconn* conn) : conn_(conn) {}
  ~PostgresConnection() override { PQfinish(conn_); }
  bool isPostgres() const override { return true; }
  int64_t changes() const override { return changes_; }

  Result<bool> awaitNotification(std::string_view channel,
                                 std::chrono::milliseconds timeout) override {
    if (listening_ != channel) {
      // Channel names are ours (identifiers), never user input.
      if (auto r = query("LISTEN " + std::string(channel), {}); !r) return r.error();
      listening_ = std::string(channel);
    }
    if (auto queued = takeNotifications(); !queued || *queued) return queued;
    pollfd p{PQsocket(conn_), POLLIN, 0};
    if (p.fd < 0) return lost();
    const int ready = ::poll(&p, 1, static_cast<int>(timeout.count()));
    if (ready <= 0) return false;  // timeout, or a signal: the caller asks again
    return takeNotifications();
  }

  Result<std::vector<SqlRow>> query(std::string_view sql,
                                    const std::vector<SqlValue>& params) override {
    const std::string text = numberedPlaceholders(sql);
    std::vector<std::optional<std::string>> values;
    values.reserve(params.size());
    for (const auto& p : params) values.push_back(asText(p));
    std::vector<const char*> pointers;
    pointers.reserve(values.size());
    for (const auto& v : values) pointers.push_back(v ? v->c_str() : nullptr);
    PGresult* res = PQexecParams(conn_, text.c_str(), static_cast<int>(pointers.size()), nullptr,
                                 pointers.data(), nullptr, nullptr, 0);
    const auto status = PQresultStatus(res);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
      Error e =
          Error::make(ErrorClass::kInternal, "postgresql: " + std::string(PQerrorMessage(conn_)));
      PQclear(res);
      return e;
    }
    std::vector<SqlRow> rows;
    const int n = PQntuples(res);
    const int columns = PQnfields(res);
    rows.reserve(n);
    for (int r = 0; r < n; ++r) {
      SqlRow row(columns);
      for (int c = 0; c < columns; ++c) {
        if (!PQgetisnull(res, r, c))
          row[c] = std::string(PQgetvalue(res, r, c), PQgetlength(res, r, c));
      }
      rows.push_back(std::move(row));
    }
    const char* affected = PQcmdTuples(res);
    changes_ = affected && *affected ? std::stoll(affected) : 0;
    PQclear(res);
    return rows;
  }

  Result<void> insertRows(const SqlInsertText& sql, size_t count, const SqlRowFill& fill) override {
    // Text parameters either way: collecting them as values costs little next to the round trip.
    struct Collect final : SqlRowSink {
      void integer(int64_t v) override { params.emplace_back(v); }
      void real(double v) override { params.emplace_back(v); }
      void text(std::string_view v) override { params.emplace_back(std::string(v)); }
      void null() override { params.emplace_back(); }
      std::vector<SqlValue> params;
    } collect;
    for (size_t first = 0; first < count; first += kInsertChunk) {
      const size_t n = std::min(kInsertChunk, count - first);
      collect.params.clear();
      for (size_t i = first; i < first + n; ++i) fill(i, collect);
      if (auto r = query(sql(n), collect.params); !r) return r.error();
    }
    return {};
  }

 private:
  // Reads what the server sent and drops the notifications queued: true if there were any.
  Result<bool> takeNotifications() {
    if (PQconsumeInput(conn_) == 0 || PQstatus(conn_) != CONNECTION_OK) return lost();
    bool any = false;
    while (PGnotify* n = PQnotifies(conn_)) {
      any = true;
      PQfreemem(n);
    }
    return any;
  }
  Error lost() const {
    return Error::make(ErrorClass::kInternal, "postgresql: listener connection lost: " +
                                                  std::string(PQerrorMessage(conn_)));
  }

  PGconn* conn_;
  int64_t changes_ = 0;
  std::string listening_;
};

void ignoreNotice(void*, const char*) {}  // "relation already exists, skipping" and the like

}  // namespace

Result<std::unique_ptr<SqlConnection>> openPostgres(const std::string& url) {
  PGconn* conn = PQconnectdb(url.c_str());
  if (PQstatus(conn) != CONNECTION_OK) {
    // The message names host and port, never the password.
    Error e = Error::make(ErrorClass::kInternal,
                          "postgresql: cannot connect: " + std::string(PQerrorMessage(conn)));
    PQfinish(conn);
    return e;
  }
  PQsetNoticeProcessor(conn, ignoreNotice, nullptr);
  return std::unique_ptr<SqlConnection>(std::make_unique<PostgresConnection>(conn));
}

}  // namespace switchyard
