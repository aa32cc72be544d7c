#pragma once
// The little SQL both backends need: run a statement with positional parameters (written `?`)
// and read the rows back as text.

#include <chrono>
#include <cstdint>
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

class SqlConnection {
 public:
  virtual ~SqlConnection() = default;
  virtual bool isPostgres() const = 0;
  virtual Result<std::vector<SqlRow>> query(std::string_view sql,
                                            const std::vector<SqlValue>& params = {}) = 0;
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
