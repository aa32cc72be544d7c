#pragma once
// The little SQL both backends need: run a statement with positional parameters (written `?`)
// and read the rows back as text, and insert many rows of one shape without building a
// parameter list per row (the spend writer's hot loop).

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/error.hpp"

namespace switchyard {

using SqlValue = std::variant<std::monostate, int64_t, double, std::string>;
using SqlRow = std::vector<std::optional<std::string>>;

// Takes one row's values in column order (insertRows). Text is bound by reference: it must stay
// valid until insertRows returns.
class SqlRowSink {
 public:
  virtual void integer(int64_t v) = 0;
  virtual void real(double v) = 0;
  virtual void text(std::string_view v) = 0;
  virtual void null() = 0;
  // Empty text as NULL (the optional text columns).
  void textOrNull(std::string_view v) { v.empty() ? null() : text(v); }
  void value(const SqlValue& v) {
    if (const auto* i = std::get_if<int64_t>(&v)) return integer(*i);
    if (const auto* d = std::get_if<double>(&v)) return real(*d);
    if (const auto* t = std::get_if<std::string>(&v)) return text(*t);
    null();
  }

 protected:
  ~SqlRowSink() = default;
};

// Rows per multi-row INSERT on PostgreSQL: well under its 65535 bound parameters.
constexpr size_t kInsertChunk = 200;

// The SQL of an INSERT of n rows (n `?`-tuples); insertRows asks only for the counts it runs.
using SqlInsertText = std::function<std::string(size_t rows)>;
// Writes row i's values into the sink.
using SqlRowFill = std::function<void(size_t row, SqlRowSink& sink)>;

class SqlConnection {
 public:
  virtual ~SqlConnection() = default;
  virtual bool isPostgres() const = 0;
  virtual Result<std::vector<SqlRow>> query(std::string_view sql,
                                            const std::vector<SqlValue>& params = {}) = 0;
  // Inserts rows 0..count-1, each row's values from fill. SQLite steps one prepared single-row
  // statement per row, bound in place (no copies); PostgreSQL sends multi-row statements, one
  // round trip per kInsertChunk rows.
  virtual Result<void> insertRows(const SqlInsertText& sql, size_t count,
                                  const SqlRowFill& fill) = 0;
  // Rows affected by the last statement.
  virtual int64_t changes() const = 0;
  // LISTENs on channel (once) and waits up to timeout for a notification on it; false when
  // none came. SQLite has no notifications: kUnsupported.
  virtual Result<bool> awaitNotification(std::string_view channel,
                                         std::chrono::milliseconds timeout) = 0;
};

Result<std::unique_ptr<SqlConnection>> openSqlite(const std::string& path);
Result<std::unique_ptr<SqlConnection>> openPostgres(const std::string& url);

}  // namespace switchyard
