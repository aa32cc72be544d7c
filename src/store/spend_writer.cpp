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
  }
  std::vector<SpendDelta> out;
  out.reserve(sums.size());
  for (auto& [k, usd] : sums) out.push_back({k.first, k.second, usd});
  return out;
}

}  // namespace

SpendWriter::SpendWriter(std::unique_ptr<Store> store, std::chrono::milliseconds window,
                         OnFlushed onFlushed)
    : store_(std::move(store)), window_(window), onFlushed_(std::move(onFlushed)) {
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

void SpendWriter::run() {
  // Named so that its CPU time can be told apart from the request path's (bench/governance.sh).
  pthread_setname_np(pthread_self(), "sy-spend-writer");
  std::unique_lock lock(mutex_);
  while (true) {
    wake_.wait_for(lock, window_, [&] { return stopping_ || flushRequested_; });
    flushRequested_ = false;
    const bool last = stopping_;
    writePending(lock);
    if (last) {
      // Whatever arrived while the last batch was written.
      writePending(lock);
      flushed_.notify_all();
      return;
    }
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
  const auto deltas = deltasOf(rows);
  Result<void> written;
  {
    std::lock_guard commit(commit_);
    written = store_->writeBatch(rows, deltas, resets);
    if (written && onFlushed_) onFlushed_(deltas);
  }
  lock.lock();
  if (!written) {
    // The database is unreachable or full: keep the rows for the next window rather than lose
    // spend; the requests themselves never wait for this.
    logError("spend log write failed (" + std::to_string(rows.size()) +
             " rows kept for retry): " + written.error().message);
    rows.insert(rows.end(), std::make_move_iterator(rows_.begin()),
                std::make_move_iterator(rows_.end()));
    rows_.swap(rows);
    resets.insert(resets.end(), resets_.begin(), resets_.end());
    resets_.swap(resets);
    if (stopping_) written_ = queued_;  // give up at shutdown instead of hanging
    return;
  }
  written_ += rows.size();
  flushed_.notify_all();
}

}  // namespace switchyard
