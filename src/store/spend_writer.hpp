#pragma once
// The only writer of spend: requests hand their spend-log row to an in-memory queue (a mutex and
// a vector swap, no I/O), and one thread writes everything queued once per window in a single
// transaction: the budget increments, the hourly rollups the rows add up to and (unless spend
// logs are disabled) the rows themselves. stop() writes what is left, so SIGTERM loses nothing;
// a crash loses at most the rows of the current window. The same thread runs the retention
// job, so deleting old rows never competes with the request path.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "store/store.hpp"

namespace switchyard {

class SpendWriter {
 public:
  // Called on the writer thread after a batch is committed, with the increments it applied.
  using OnFlushed = std::function<void(const std::vector<SpendDelta>&)>;

  struct Options {
    std::chrono::milliseconds window{100};
    // general_settings.disable_spend_logs: budgets and rollups still count, no per-request rows.
    bool logRows = true;
    // general_settings.maximum_spend_logs_retention_period: rows older than this are deleted;
    // zero keeps them forever.
    std::chrono::milliseconds retention{0};
    // switchyard_settings.spend_logs_max_rows: the oldest rows beyond this are deleted; 0: none.
    int64_t maxRows = 0;
    // general_settings.maximum_spend_logs_retention_interval: how often the job runs.
    std::chrono::milliseconds retentionInterval{std::chrono::hours(24)};
  };

  SpendWriter(std::unique_ptr<Store> store, Options options, OnFlushed onFlushed);
  // Only the flush window set; everything else as Options' defaults.
  SpendWriter(std::unique_ptr<Store> store, std::chrono::milliseconds window, OnFlushed onFlushed)
      : SpendWriter(std::move(store), Options{window}, std::move(onFlushed)) {}
  ~SpendWriter();
  SpendWriter(const SpendWriter&) = delete;
  SpendWriter& operator=(const SpendWriter&) = delete;

  // What one window's rows commit: one increment per principal, the hourly rollups and, with
  // logRows, the rows themselves (moved out of `rows`).
  static SpendBatch batchOf(std::vector<SpendLogRow>& rows, bool logRows);

  void record(SpendLogRow row);
  void reset(BudgetReset reset);
  // Writes everything queued and waits for it (tests, shutdown).
  void flush();
  void stop();
  uint64_t written() const;  // rows committed so far
  uint64_t pruned() const;   // rows the retention job deleted so far
  // Held while a batch is committed and reported: a reader of the store's spend that takes it
  // sees every increment either in the store or still unreported, never both.
  std::mutex& commitMutex() { return commit_; }

 private:
  void run();
  void writePending(std::unique_lock<std::mutex>& lock);
  void pruneIfDue(std::unique_lock<std::mutex>& lock);

  std::unique_ptr<Store> store_;
  Options options_;
  std::chrono::steady_clock::time_point nextPrune_;
  uint64_t pruned_ = 0;
  OnFlushed onFlushed_;
  std::mutex commit_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable flushed_;
  std::vector<SpendLogRow> rows_;
  std::vector<BudgetReset> resets_;
  uint64_t queued_ = 0;
  uint64_t written_ = 0;
  bool stopping_ = false;
  bool flushRequested_ = false;
  std::thread thread_;
};

}  // namespace switchyard
