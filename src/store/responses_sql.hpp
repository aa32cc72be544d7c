#pragma once
// The SQL of stored Responses API responses (table sy_responses), for both backends. The table is
// created on first use rather than by a schema migration: it is the store's own, and nothing else
// reads it.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/sql_connection.hpp"
#include "store/stored_response.hpp"

namespace switchyard {

Result<void> writeResponseRows(SqlConnection& db, const std::vector<StoredResponse>& puts,
                               const std::vector<std::string>& deletes, int64_t nowMs);
Result<std::vector<StoredResponse>> loadResponseRows(SqlConnection& db, int64_t nowMs,
                                                     size_t maxBytes);
// `id`, unless it expired at `nowMs`. The table must exist: loadResponseRows or writeResponseRows
// made it (each of those checks it; a lookup should cost one query).
Result<std::optional<StoredResponse>> loadResponseRow(SqlConnection& db, std::string_view id,
                                                      int64_t nowMs);

}  // namespace switchyard
