#include "store/spend_writer.hpp"

#include <pthread.h>
#include <sched.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <string_view>
#include <tuple>
#include <unordered_map>

#include "core/log.hpp"

namespace switchyard {

namespace {

// One increment per principal per batch, however many requests it made. Keyed by views into
// the rows: nothing is copied per row.
std::vector<SpendDelta> deltasOf(const std::vector<SpendLogRow>& rows) {
  struct Hash {
    size_t operator()(const std::pair<PrincipalKind, std::string_view>& k) const {
      return std::hash<std::string_view>()(k.second) ^ static_cast<size_t>(k.first);
    }
  };
  std::unordered_map<std::pair<PrincipalKind, std::string_view>, double, Hash> sums;
  for (const auto& r : rows) {
    if (r.spend <= 0) continue;
    if (!r.keyId.empty()) sums[{PrincipalKind::kKey, r.keyId}] += r.spend;
    if (!r.teamId.empty()) sums[{PrincipalKind::kTeam, r.teamId}] += r.spend;
    if (!r.userId.empty()) sums[{PrincipalKind::kUser, r.userId}] += r.spend;
    if (!r.endUser.empty()) sums[{PrincipalKind::kEndUser, r.endUser}] += r.spend;
  }
  std::vector<SpendDelta> out;
  out.reserve(sums.size());
  for (auto& [k, usd] : sums) out.push_back({k.first, std::string(k.second), usd});
  // In one order on every instance: two sharing a PostgreSQL then lock the same principals'
  // rows in the same order and cannot deadlock.
  std::sort(out.begin(), out.end(), [](const SpendDelta& a, const SpendDelta& b) {
    return std::tie(a.kind, a.id) < std::tie(b.kind, b.id);
  });
  return out;
}

// The writer works in bursts (a window's rows at once), often on a CPU it shares with a worker.
// At equal standing the scheduler lets a burst run out its time slice (~3 ms) before a worker
// woken by its socket gets the CPU: that was make bench's p99 at one connection with spend logs
// on (4 ms against 45 us without). A 0.1 ms slice (EEVDF's custom slice, Linux 6.12+) makes a
// woken worker preempt the writer at once while the writer keeps its fair share of a busy CPU,
// so its queue does not grow; older kernels refuse the slice and the writer runs as before.
void yieldToRequests() {
  // The kernel's struct sched_attr (first version, 48 bytes): glibc 2.36 has no declaration
  // and <linux/sched/types.h> clashes with <sched.h>.
  struct {
    uint32_t size;
    uint32_t sched_policy;
    uint64_t sched_flags;
    int32_t sched_nice;
    uint32_t sched_priority;
    uint64_t sched_runtime;
    uint64_t sched_deadline;
    uint64_t sched_period;
  } attr{};
  attr.size = sizeof attr;
  attr.sched_policy = SCHED_OTHER;
  attr.sched_runtime = 100'000;                    // ns
  attr.sched_nice = getpriority(PRIO_PROCESS, 0);  // kept (lowering it would need privileges)
  (void)syscall(SYS_sched_setattr, 0, &attr, 0);
}

}  // namespace

SpendBatch SpendWriter::batchOf(std::vector<SpendLogRow>& rows, bool logRows) {
  SpendBatch batch;
  batch.deltas = deltasOf(rows);
  batch.rollups = rollupsOf(rows);
  if (logRows) batch.logs = std::move(rows);
  return batch;
}

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
  yieldToRequests();
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
  // Room for a window like this one: record() then never moves the queued rows to grow.
  rows_.reserve(rows.size());
  lock.unlock();
  const size_t count = rows.size();
  SpendBatch batch = batchOf(rows, options_.logRows);
  batch.resets = std::move(resets);
  batch.nowMs = std::chrono::duration_cast<std::chrono::milliseconds>(
                    std::chrono::system_clock::now().time_since_epoch())
                    .count();
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
