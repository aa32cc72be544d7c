#pragma once
// The hourly spend rollups (store.hpp SpendRollup) in SQL: the migration that creates and fills
// them from existing logs, the upsert a batch adds them with, and reading them back.

#include <string>
#include <string_view>
#include <vector>

#include "store/sql_connection.hpp"
#include "store/store.hpp"

namespace switchyard::rollup_sql {

// Migration 3: the rollup table filled from the logs already written, and the log indexes cut
// to those the remaining queries use (key + time for /spend/logs?api_key=, request_id, time).
extern const std::string_view kMigration;

// Migration 4: the time-to-first-token buckets (store/ttft_histogram.hpp) of each rollup; rows
// written before it count none.
extern const std::string_view kTtftMigration;

constexpr size_t kColumnCount = 15 + kTtftBuckets;
// The columns of a rollup, in the order of appendParams and rollupFrom.
const std::string& columns();

// An upsert of n rollups that adds to the rows already there.
std::string upsertSql(size_t n);
void appendParams(std::vector<SqlValue>& params, const SpendRollup& r);
SpendRollup rollupFrom(const SqlRow& row);

}  // namespace switchyard::rollup_sql
