#include "telemetry/log_sink.hpp"

#include <pthread.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>

namespace switchyard {

namespace {
// A worker nudges the writer once its buffer holds this much, instead of waiting for the tick.
constexpr size_t kNudgeBytes = 256 * 1024;
}  // namespace

LogSink::LogSink(int fd, size_t maxBufferedBytes)
    : fd_(fd), maxBuffered_(maxBufferedBytes), thread_([this] { run(); }) {}

LogSink::~LogSink() {
  {
    std::lock_guard lock(wakeMutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
  if (fd_ > STDERR_FILENO) ::close(fd_);
}

void LogSink::submit(std::string_view line) {
  // The sink outlives the workers that write to it.
  Shard& s = shards_.forThisThread();
  bool nudge = false;
  {
    std::lock_guard lock(s.mutex);
    if (s.pending.size() + line.size() > maxBuffered_) {
      ++s.dropped;
      return;
    }
    s.pending.append(line);
    ++s.lines;
    nudge = s.pending.size() >= kNudgeBytes && s.pending.size() - line.size() < kNudgeBytes;
  }
  // A wake-up lost to the race with the writer's wait costs no more than waiting for the tick.
  if (nudge) {
    nudged_.store(true, std::memory_order_relaxed);
    wake_.notify_one();
  }
}

uint64_t LogSink::dropped() const {
  uint64_t n = 0;
  shards_.forEach([&n](Shard& s) {
    std::lock_guard lock(s.mutex);
    n += s.dropped;
  });
  return n;
}

void LogSink::writeAll(const std::string& data) {
  size_t off = 0;
  while (off < data.size()) {
    const ssize_t n = ::write(fd_, data.data() + off, data.size() - off);
    if (n > 0) {
      off += size_t(n);
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else {
      return;  // a closed pipe or a full disk: the lines are lost, the gateway goes on
    }
  }
}

void LogSink::run() {
  pthread_setname_np(pthread_self(), "sy-log-writer");
  std::string batch;
  std::vector<Shard*> shards;
  for (;;) {
    bool stop;
    {
      std::unique_lock lock(wakeMutex_);
      wake_.wait_for(lock, kFlushInterval,
                     [&] { return stopping_ || nudged_.load(std::memory_order_relaxed); });
      nudged_.store(false, std::memory_order_relaxed);
      stop = stopping_;
    }
    shards.clear();
    shards_.forEach([&shards](Shard& s) { shards.push_back(&s); });
    for (Shard* s : shards) {
      uint64_t lines;
      {
        std::lock_guard lock(s->mutex);
        batch.swap(s->pending);
        lines = s->lines;
        s->lines = 0;
      }
      if (!batch.empty()) {
        writeAll(batch);
        written_.fetch_add(lines, std::memory_order_relaxed);
        batch.clear();
      }
    }
    if (stop) return;
  }
}

}  // namespace switchyard
