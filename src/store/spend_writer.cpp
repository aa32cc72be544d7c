#include "store/spend_writer.hpp"

#include <pthread.h>

#include <map>

#include "core/log.hpp"

namespace switchyard {

namespace {

// One increment per principal per batch, however many requests it made.
std::vector<SpendDelta> deltasOf(const std::vector<SpendLogRow>& rows) {
  std::map<std::pair<PrincipalKind, std::string>, double> sums;
  for (const auto& r : rows) {
    if (r.spend <= 0) continue;
    if (!r.keyId.empty()) sums[{PrincipalKind::kKey, r.keyId}] += r.spend;
    if (!r.teamId.empty()) sums[{PrincipalKind::kTeam, r.teamId}] += r.spend;
    if (!r.userId.empty()) sums[{PrincipalKind::kUser, r.userId}] += r.spend;
    if (!r.endUser.empty()) sums[{PrincipalKind::kEndUser, r.endUser}] += r.spend;
  }
  std::vector<SpendDelta> out;
  out.reserve(sums.size());
  for (auto& [k, usd] : sums) out.push_back({k.first, k.second, usd});
  return out;
}

}  // namespace

SpendWriter::SpendWriter(std::unique_ptr<Store> store, Options options, OnFlushed onFlushed)
    : store_(std::move(store)),
      options_(options),
      // The first pass soon after start: a gateway restarted daily still prunes.
      nextPrune_(std::chrono::steady_clock::now() + options.window),
      onFlushed_(std::move(onFlushed)) {
  thread_ = std::thread([this] { run(); });
}

SpendWriter::~SpendWriter() { stop(); }

void SpendWriter::record(SpendLogRow row) {
  std::lock_guard lock(mutex_);
  rows_.push_back(std::move(row));
  ++queued_;
}

void SpendWriter::reset(BudgetReset reset) {
  std::lock_guard lock(mutex_);
  resets_.push_back(std::move(reset));
}

void SpendWriter::flush() {
  std::unique_lock lock(mutex_);
  const uint64_t target = queued_;
  flushRequested_ = true;
  wake_.notify_one();
  flushed_.wait(lock, [&] { return written_ >= target || stopping_; });
}

void SpendWriter::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

uint64_t SpendWriter::written() const {
  std::lock_guard lock(mutex_);
  return written_;
}

uint64_t SpendWriter::pruned() const {
  std::lock_guard lock(mutex_);
  return pruned_;
}

void SpendWriter::run() {
  // Named so that its CPU time can be told apart from the request path's (bench/governance.sh).
  pthread_setname_np(pthread_self(), "sy-spend-writer");
  std::unique_lock lock(mutex_);
  while (true) {
    wake_.wait_for(lock, options_.window, [&] { return stopping_ || flushRequested_; });
    flushRequested_ = false;
    const bool last = stopping_;
    writePending(lock);
    if (last) {
      // Whatever arrived while the last batch was written.
      writePending(lock);
      flushed_.notify_all();
      return;
    }
    pruneIfDue(lock);
  }
}

void SpendWriter::writePending(std::unique_lock<std::mutex>& lock) {
  if (rows_.empty() && resets_.empty()) {
    flushed_.notify_all();
    return;
  }
  std::vector<SpendLogRow> rows;
  std::vector<BudgetReset> resets;
  rows.swap(rows_);
  resets.swap(resets_);
  lock.unlock();
  const size_t count = rows.size();
  SpendBatch batch;
  batch.deltas = deltasOf(rows);
  batch.rollups = rollupsOf(rows);
  batch.resets = std::move(resets);
  batch.nowMs = std::chrono::duration_cast<std::chrono::milliseconds>(
                    std::chrono::system_clock::now().time_since_epoch())
                    .count();
  if (options_.logRows) batch.logs = std::move(rows);
  Result<void> written;
  {
    std::lock_guard commit(commit_);
    written = store_->writeBatch(batch);
    if (written && onFlushed_) onFlushed_(batch.deltas);
  }
  lock.lock();
  if (!written) {
    // The database is unreachable or full: keep the rows for the next window rather than lose
    // spend; the requests themselves never wait for this.
    logError("spend log write failed (" + std::to_string(count) +
             " rows kept for retry): " + written.error().message);
    if (options_.logRows) rows = std::move(batch.logs);
    resets = std::move(batch.resets);
    rows.insert(rows.end(), std::make_move_iterator(rows_.begin()),
                std::make_move_iterator(rows_.end()));
    rows_.swap(rows);
    resets.insert(resets.end(), resets_.begin(), resets_.end());
    resets_.swap(resets);
    if (stopping_) written_ = queued_;  // give up at shutdown instead of hanging
    return;
  }
  written_ += count;
  flushed_.notify_all();
}

void SpendWriter::pruneIfDue(std::unique_lock<std::mutex>& lock) {
  if (options_.retention.count() == 0 && options_.maxRows == 0) return;
  const auto now = std::chrono::steady_clock::now();
  if (now < nextPrune_) return;
  nextPrune_ = now + options_.retentionInterval;
  lock.unlock();
  int64_t olderThan = 0;
  if (options_.retention.count() > 0) {
    const auto wall = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::system_clock::now().time_since_epoch());
    olderThan = (wall - options_.retention).count();
  }
  // Spend totals are not touched, so the commit mutex is not needed: readers never wait on this.
  auto deleted = store_->pruneSpendLogs(olderThan, options_.maxRows);
  lock.lock();
  if (!deleted) {
    logWarn("spend log retention failed (tried again next interval): " + deleted.error().message);
    return;
  }
  pruned_ += static_cast<uint64_t>(*deleted);
  if (*deleted > 0) logInfo("spend log retention: deleted " + std::to_string(*deleted) + " rows");
}

}  // namespace switchyard
