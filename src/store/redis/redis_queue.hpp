#pragma once
// Redis for the request path, which must never block a worker: commands wait in a bounded queue
// for one dedicated thread that sends what has gathered as one pipeline over a blocking
// RedisConnection (so many requests share one round trip), and each caller resumes on its own
// executor with its replies, or with an error once the endpoint's timeout has passed, whichever
// comes first. While Redis is down (it failed or timed out), calls fail at once, without
// queueing, except one probe per second that finds out when it is back. The outage and the
// recovery are logged once each; callers treat a failure as "no answer" (a cache miss).

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/async.hpp"
#include "store/redis/redis_connection.hpp"

namespace switchyard {

struct RedisQueueOptions {
  RedisEndpoint endpoint;    // its timeout bounds every call, queueing included
  std::string what;          // who uses it, in log lines ("response cache")
  size_t maxQueued = 4096;   // calls waiting beyond this fail at once
  size_t maxPipeline = 256;  // calls sent in one round trip
};

class RedisQueue {
 public:
  using Replies = Result<std::vector<RedisReply>>;
  using Clock = std::chrono::steady_clock;

  explicit RedisQueue(RedisQueueOptions options);
  ~RedisQueue();  // stops the thread; calls still queued fail
  RedisQueue(const RedisQueue&) = delete;
  RedisQueue& operator=(const RedisQueue&) = delete;

  // Runs `commands` (one reply each, in order) and resumes on the caller's executor.
  Task<Replies> run(std::vector<RedisCommand> commands);
  // Sends `commands` without waiting for them; false when they were dropped (Redis down, the
  // queue full).
  bool send(std::vector<RedisCommand> commands);

  const RedisQueueOptions& options() const { return options_; }
  // Redis answered the last round trip (or none has failed yet).
  bool up() const { return !down_.load(std::memory_order_relaxed); }
  struct Stats {
    uint64_t roundTrips = 0;
    uint64_t failures = 0;  // round trips that failed or timed out
    uint64_t refused = 0;   // calls failed at once: Redis down, the queue full
    uint64_t timeouts = 0;  // callers that stopped waiting
  };
  Stats stats() const;

 private:
  struct Call {
    std::vector<RedisCommand> commands;
    Clock::time_point deadline;
    std::function<void(Replies)> done;  // empty for send()
  };
  bool enqueue(Call call);
  void loop();
  void runBatch(std::vector<Call>& batch);

  const RedisQueueOptions options_;
  RedisConnection connection_;  // the thread's own
  std::atomic<bool> down_{false};
  std::atomic<int64_t> probeAt_{0};  // while down: steady ticks after which one call may try
  std::atomic<uint64_t> timeouts_{0};
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Call> queue_;
  bool stop_ = false;
  Stats stats_;
  std::thread thread_;
};

}  // namespace switchyard
