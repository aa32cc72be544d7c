#pragma once
// Hands text lines from the workers to one writer thread, so that a slow disk or a full pipe
// never stalls a worker. Each worker thread copies its lines into a ring of its own (no lock, no
// system call); the writer wakes on a timer, or early when a ring passes a high-water mark, and
// writes everything queued with one writev per ring. When a ring is full the line is dropped and
// counted instead of waiting.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string_view>
#include <thread>
#include <vector>

#include "telemetry/line_ring.hpp"

namespace switchyard {

class LogSink {
 public:
  static constexpr std::chrono::milliseconds kFlushInterval{50};

  // Takes ownership of fd (closed at the end unless it is stdout or stderr). Each worker's ring
  // holds up to `ringBytes`.
  explicit LogSink(int fd, size_t ringBytes = 1024 * 1024);
  ~LogSink();  // writes what is queued, then stops the thread
  LogSink(const LogSink&) = delete;
  LogSink& operator=(const LogSink&) = delete;

  // One complete line including its '\n'. Never blocks, never makes a system call but, once
  // per high-water mark passed, the writer's wake-up.
  void submit(std::string_view line);

  uint64_t written() const { return written_.load(std::memory_order_relaxed); }
  uint64_t dropped() const;

 private:
  LineRing& ringForThisThread();
  void run();
  // Writes every ring's queued lines; returns when they are written (or failed).
  void drain(std::vector<LineRing*>& rings);
  void writeAll(std::string_view first, std::string_view second);

  // Identifies this sink to the threads' cached ring pointers; an address could be reused by a
  // later sink.
  const uint64_t id_;
  int fd_;
  const size_t ringBytes_;
  const size_t nudgeBytes_;
  mutable std::mutex ringsMutex_;  // rings_ itself: a new thread's ring, drains, dropped()
  std::vector<std::unique_ptr<LineRing>> rings_;
  std::mutex wakeMutex_;
  std::condition_variable wake_;
  bool stopping_ = false;            // guarded by wakeMutex_
  std::atomic<bool> nudged_{false};  // a ring passed its high-water mark
  std::atomic<uint64_t> written_{0};
  std::thread thread_;
};

}  // namespace switchyard
