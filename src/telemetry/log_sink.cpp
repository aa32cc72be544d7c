#include "telemetry/log_sink.hpp"

#include <pthread.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cerrno>

namespace switchyard {

namespace {
std::atomic<uint64_t> gNextSinkId{1};
}  // namespace

LogSink::LogSink(int fd, size_t ringBytes)
    : id_(gNextSinkId.fetch_add(1)),
      fd_(fd),
      ringBytes_(ringBytes),
      // A quarter full: the writer is woken well before a burst fills the ring.
      nudgeBytes_(LineRing::capacityFor(ringBytes) / 4),
      thread_([this] { run(); }) {}

LogSink::~LogSink() {
  {
    std::lock_guard lock(wakeMutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
  if (fd_ > STDERR_FILENO) ::close(fd_);
}

LineRing& LogSink::ringForThisThread() {
  // One ring per (thread, sink); the sink outlives the workers that write to it.
  thread_local uint64_t owner = 0;
  thread_local LineRing* ring = nullptr;
  if (owner != id_) {
    std::lock_guard lock(ringsMutex_);
    ring = rings_.emplace_back(std::make_unique<LineRing>(ringBytes_)).get();
    owner = id_;
  }
  return *ring;
}

void LogSink::submit(std::string_view line) {
  const size_t queued = ringForThisThread().push(line);
  // Only the line that crosses the mark wakes the writer; a wake-up lost to the race with its
  // wait costs no more than waiting for the tick.
  if (queued >= nudgeBytes_ && queued - line.size() < nudgeBytes_) {
    nudged_.store(true, std::memory_order_relaxed);
    wake_.notify_one();
  }
}

uint64_t LogSink::dropped() const {
  std::lock_guard lock(ringsMutex_);
  uint64_t n = 0;
  for (const auto& r : rings_) n += r->dropped();
  return n;
}

void LogSink::writeAll(std::string_view first, std::string_view second) {
  iovec iov[2] = {{const_cast<char*>(first.data()), first.size()},
                  {const_cast<char*>(second.data()), second.size()}};
  int at = 0;
  const int count = second.empty() ? 1 : 2;
  while (at < count) {
    const ssize_t n = ::writev(fd_, iov + at, count - at);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // a closed pipe or a full disk: the lines are lost, the gateway goes on
    size_t left = size_t(n);
    while (at < count && left >= iov[at].iov_len) left -= iov[at++].iov_len;
    if (at < count) {
      iov[at].iov_base = static_cast<char*>(iov[at].iov_base) + left;
      iov[at].iov_len -= left;
    }
  }
}

void LogSink::drain(std::vector<LineRing*>& rings) {
  {
    std::lock_guard lock(ringsMutex_);
    rings.clear();
    for (auto& r : rings_) rings.push_back(r.get());
  }
  for (LineRing* r : rings) {
    const LineRing::Queued q = r->peek();
    if (q.empty()) continue;
    writeAll(q.first, q.second);
    r->consume(q);
    written_.fetch_add(q.lines, std::memory_order_relaxed);
  }
}

void LogSink::run() {
  pthread_setname_np(pthread_self(), "sy-log-writer");
  std::vector<LineRing*> rings;
  for (;;) {
    bool stop;
    {
      std::unique_lock lock(wakeMutex_);
      wake_.wait_for(lock, kFlushInterval,
                     [&] { return stopping_ || nudged_.load(std::memory_order_relaxed); });
      nudged_.store(false, std::memory_order_relaxed);
      stop = stopping_;
    }
    drain(rings);
    if (stop) return;
  }
}

}  // namespace switchyard
