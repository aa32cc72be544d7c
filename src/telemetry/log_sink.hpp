#pragma once
// Hands text lines from the workers to one writer thread, so that a slow disk or a full pipe
// never stalls a worker. Each worker thread appends to its own buffer (an uncontended lock);
// the writer wakes on a timer, or early when a buffer passes a high-water mark, swaps the
// buffers out and writes each with one write. The two buffers of a worker take turns, so the
// lines are written into memory the cache still holds (a ring of the same size, cycled through,
// made the writer's copy into the page cache several times dearer). When a buffer is full the
// line is dropped and counted instead of waiting.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "telemetry/per_thread.hpp"

namespace switchyard {

class LogSink {
 public:
  static constexpr std::chrono::milliseconds kFlushInterval{20};

  // Takes ownership of fd (closed at the end unless it is stdout or stderr).
  explicit LogSink(int fd, size_t maxBufferedBytes = 4 * 1024 * 1024);
  ~LogSink();  // writes what is buffered, then stops the thread
  LogSink(const LogSink&) = delete;
  LogSink& operator=(const LogSink&) = delete;

  // One complete line including its '\n'. Never blocks on I/O.
  void submit(std::string_view line);

  uint64_t written() const { return written_.load(std::memory_order_relaxed); }
  uint64_t dropped() const;

 private:
  struct Shard {
    std::mutex mutex;
    std::string pending;
    uint64_t lines = 0;
    uint64_t dropped = 0;
  };

  void run();
  void writeAll(const std::string& data);

  int fd_;
  size_t maxBuffered_;
  PerThread<Shard> shards_;
  std::mutex wakeMutex_;
  std::condition_variable wake_;
  bool stopping_ = false;            // guarded by wakeMutex_
  std::atomic<bool> nudged_{false};  // a buffer passed the high-water mark
  std::atomic<uint64_t> written_{0};
  std::thread thread_;
};

}  // namespace switchyard
