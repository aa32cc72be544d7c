#pragma once
// Counters that several gateway instances share through one Redis, so that per-key, team and
// user limits and budgets and the deployments' cooldowns and rpm/tpm hold across all of them
// (docs/scale-out.md). The request path never waits on Redis per request: it reads and writes
// this instance's copies under one short lock, and one background thread exchanges them with
// Redis every sync interval, as one pipeline.
//
// Three kinds of shared value:
// - leases, for counts known before a request runs (rpm): Redis hands each instance a slice of
//   the window's quota with an atomic check-and-add, and the instance spends it locally; it asks
//   for the next slice when half of the current one is used, and returns what an idle lease
//   still holds. Redis never grants more than the limit, so the instances together never admit
//   more than the limit in a window. Only when a lease is empty and its refill has not come back
//   does a request wait (awaitLease), once per slice, never per request.
// - totals, for amounts known after the fact (tokens, spend): added here, summed in Redis;
//   what other instances added reaches this one within a sync interval.
// - levels, for what requests hold while they run (requests in flight, reserved budget): each
//   instance publishes its own level with a heartbeat, and the sum over live instances counts,
//   so a crashed instance's level drops out instead of leaking.
//
// While Redis cannot be reached (every exchange is bounded by the endpoint's timeout; failures
// for a second, not one slow answer), the instance falls back to per-instance limits (the limit
// divided by expected_instances), logs the outage once and counts it; when Redis answers again,
// sharing resumes by itself.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "core/async.hpp"
#include "store/redis/redis_connection.hpp"

namespace switchyard {

class DeploymentState;

using SharedCountersOptions = SharedLimitsSettings;

class SharedCounters {
 public:
  using Clock = std::chrono::steady_clock;
  enum class Take : uint8_t { kTaken, kRefused, kWait };

  // Starts the sync thread; the first exchange with Redis happens at once.
  explicit SharedCounters(SharedCountersOptions options);
  ~SharedCounters();  // stops the thread; what was not yet sent is dropped (counts, not data)
  SharedCounters(const SharedCounters&) = delete;
  SharedCounters& operator=(const SharedCounters&) = delete;

  const SharedCountersOptions& options() const { return options_; }
  // Redis answered the last exchange.
  bool sharing() const { return sharing_.load(std::memory_order_relaxed); }
  // A limit as one instance applies it while Redis is down.
  int64_t fallbackLimit(int64_t limit) const;

  // Leases. One unit of `name`'s `limit` in `window` (e.g. the unix minute). kWait: the lease is
  // empty and its refill is on its way; awaitLease, then take again. While Redis is down, units
  // are counted locally against fallbackLimit(limit).
  Take take(const std::string& name, int64_t limit, int64_t window);
  // Undoes a take (the request was refused for another reason).
  void giveBack(const std::string& name, int64_t window);
  // Resumes on the caller's executor once the lease's refill was answered or failed.
  Task<void> awaitLease(const std::string& name);

  // Totals, per window (a unix minute, a budget period; 0: one for all time). `ttl` is how long
  // Redis keeps the window's total after its last change.
  void add(const std::string& name, int64_t window, double amount, std::chrono::milliseconds ttl);
  // What every instance added to name's window, as far as this one knows (its own additions at
  // once, the others' as of the last exchange). Reading a total keeps it synced.
  double total(const std::string& name, int64_t window, std::chrono::milliseconds ttl);

  // Levels: this instance's own changes by delta; level() is the sum over live instances.
  void adjust(const std::string& name, double delta);
  double level(const std::string& name);

  // Deployments whose cooldowns (and rpm/tpm this minute) are shared, by a name every instance
  // derives the same way (deploymentStateKey). Replaces the previous set (a reload).
  void watchDeployments(std::vector<std::pair<std::string, std::weak_ptr<DeploymentState>>> list);

  struct Stats {
    uint64_t exchanges = 0;
    uint64_t failures = 0;     // exchanges that failed (Redis down, timed out)
    uint64_t leaseGrants = 0;  // slices granted
    uint64_t leaseWaits = 0;   // requests that waited for a slice
  };
  Stats stats() const;

 private:
  struct Lease {
    int64_t window = 0;
    int64_t limit = 0;
    int64_t units = 0;       // granted, not yet taken
    int64_t localCount = 0;  // taken while Redis was down (fallback counting)
    bool exhausted = false;  // Redis granted nothing more in this window
    Clock::time_point exhaustedAt{};
    bool refillWanted = false;  // a slice is wanted at the next exchange
    bool refillSent = false;    // ... and is in the current one
    Clock::time_point lastTake{};
    std::vector<std::function<void()>> waiters;
  };
  struct Total {
    int64_t window = 0;
    std::chrono::milliseconds ttl{0};
    double known = 0;    // the total in Redis as of the last exchange
    double unsent = 0;   // added here since
    double sending = 0;  // in the current exchange
    Clock::time_point lastUse{};
  };
  struct Level {
    double own = 0;
    double sent = 0;    // what the last exchange published for this instance
    double others = 0;  // the other live instances' sum, as of the last exchange
    Clock::time_point lastUse{};
  };
  struct Watched {
    std::string name;
    std::weak_ptr<DeploymentState> state;
    uint32_t tripsSeen = 0;
    int64_t requestsSent = 0;  // this instance's counts already added to the minute's totals
    int64_t tokensSent = 0;
    int64_t minute = 0;  // the unix minute those belong to
  };
  class Batch;

  void run();
  bool exchange(std::unique_lock<std::mutex>& lock);
  void wakeWaiters(Lease& lease);
  int64_t leaseSlice(int64_t limit) const;
  std::string key(std::string_view kind, std::string_view name, int64_t window) const;

  const SharedCountersOptions options_;
  const std::string instance_;  // this process's field in the levels' hashes
  std::atomic<bool> sharing_{false};
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  bool wakeNow_ = false;
  bool down_ = false;  // the outage is logged once
  Clock::time_point retryAt_{};
  Clock::time_point lastAnswer_{};  // of the last exchange Redis answered
  std::unordered_map<std::string, Lease> leases_;
  std::unordered_map<std::string, Total> totals_;
  std::unordered_map<std::string, Level> levels_;
  std::vector<Watched> watched_;
  Stats stats_;
  RedisConnection redis_;
  std::thread thread_;
};

}  // namespace switchyard
