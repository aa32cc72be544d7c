#pragma once
// The live request log (GET /live/requests, the admin UI's Live log page): the last finished
// requests to model endpoints, each as its access-log line, in a bounded ring. Requests add to
// it only while someone watches, so without a watcher it costs the request path one relaxed
// load. One for the process (server/worker's GatewayState), given to each request's
// RequestObservation.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace switchyard {

struct RequestContext;

class LiveLog {
 public:
  static constexpr size_t kCapacity = 1000;

  // Held by each watcher (an open stream) for as long as it watches.
  class Watch {
   public:
    explicit Watch(LiveLog& log) : log_(log) { log_.watchers_.fetch_add(1); }
    ~Watch() { log_.watchers_.fetch_sub(1); }
    Watch(const Watch&) = delete;
    Watch& operator=(const Watch&) = delete;

   private:
    LiveLog& log_;
  };

  bool watched() const { return watchers_.load(std::memory_order_relaxed) > 0; }
  int watchers() const { return watchers_.load(std::memory_order_relaxed); }

  // Adds the request's line (formatAccessLog's) as the newest entry.
  void publish(const RequestContext& ctx, std::string_view modelGroup,
               std::chrono::steady_clock::time_point end);
  // Adds a line as it is (tests, and publish).
  void append(std::string_view line);

  struct Entry {
    uint64_t sequence;  // 1 for the first line ever added, then one more per line
    std::string line;
  };
  // The entries after sequence `after` still in the ring, oldest first, at most `max` of them
  // (the newest ones when there are more), into `out`; returns the newest sequence.
  uint64_t readAfter(uint64_t after, size_t max, std::vector<Entry>& out) const;
  uint64_t newest() const;

 private:
  mutable std::mutex mutex_;
  std::deque<std::string> ring_;
  uint64_t newest_ = 0;
  std::atomic<int> watchers_{0};
};

}  // namespace switchyard
