#pragma once
// The only writer of spend: requests hand their spend-log row to an in-memory queue (a mutex and
// a vector swap, no I/O), and one thread writes everything queued once per window in a single
// transaction. stop() writes what is left, so SIGTERM loses nothing; a crash loses at most the
// rows of the current window.

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

  SpendWriter(std::unique_ptr<Store> store, std::chrono::milliseconds window, OnFlushed onFlushed);
  ~SpendWriter();
  SpendWriter(const SpendWriter&) = delete;
  SpendWriter& operator=(const SpendWriter&) = delete;

  void record(SpendLogRow row);
  void reset(BudgetReset reset);
  // Writes everything queued and waits for it (tests, shutdown).
  void flush();
  void stop();
  uint64_t written() const;  // rows committed so far
  // Held while a batch is committed and reported: a reader of the store's spend that takes it
  // sees every increment either in the store or still unreported, never both.
  std::mutex& commitMutex() { return commit_; }

 private:
  void run();
  void writePending(std::unique_lock<std::mutex>& lock);

  std::unique_ptr<Store> store_;
  std::chrono::milliseconds window_;
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
