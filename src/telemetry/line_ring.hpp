#pragma once
// A bounded single-producer, single-consumer ring of text lines: one per worker thread, read by
// the log writer thread. The worker copies a line in and publishes it with two release stores:
// no lock, no allocation, no system call. A line that does not fit is dropped and counted.

#include <algorithm>
#include <atomic>
#include <bit>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>

#include "telemetry/relaxed_counter.hpp"

namespace switchyard {

class LineRing {
 public:
  // `capacity` bytes, rounded up to a power of two. The memory is not touched until used.
  explicit LineRing(size_t capacity)
      : capacity_(capacityFor(capacity)), bytes_(new char[capacity_]) {}
  static size_t capacityFor(size_t requested) {
    return std::bit_ceil(std::max<size_t>(requested, 64));
  }
  LineRing(const LineRing&) = delete;
  LineRing& operator=(const LineRing&) = delete;

  // Producer: queues a copy of `line`; returns the bytes queued with it, or 0 when it did not
  // fit (the drop counted).
  size_t push(std::string_view line) {
    const uint64_t head = head_.load(std::memory_order_relaxed);
    const uint64_t tail = tail_.load(std::memory_order_acquire);
    if (line.empty() || line.size() > capacity_ - (head - tail)) {
      if (!line.empty()) ++dropped_;
      return 0;
    }
    const size_t at = size_t(head & (capacity_ - 1));
    const size_t first = std::min(line.size(), capacity_ - at);
    std::memcpy(bytes_.get() + at, line.data(), first);
    std::memcpy(bytes_.get(), line.data() + first, line.size() - first);
    head_.store(head + line.size(), std::memory_order_release);
    // After the bytes: a consumer that sees this count sees at least these lines' bytes.
    lines_.store(lines_.load(std::memory_order_relaxed) + 1, std::memory_order_release);
    return size_t(head + line.size() - tail);
  }

  // What the consumer may write: the queued bytes in order, in two pieces when they wrap
  // around the end, and how many more lines have been completed since the last take (those
  // lines' bytes are all in the pieces; a line pushed meanwhile may be counted next time).
  struct Queued {
    std::string_view first;
    std::string_view second;
    uint64_t lines = 0;
    uint64_t end = 0;
    bool empty() const { return first.empty(); }
  };

  // Consumer.
  Queued peek() const {
    const uint64_t lines = lines_.load(std::memory_order_acquire);
    const uint64_t head = head_.load(std::memory_order_acquire);
    const uint64_t tail = tail_.load(std::memory_order_relaxed);
    const size_t at = size_t(tail & (capacity_ - 1));
    const size_t n = size_t(head - tail);
    const size_t first = std::min(n, capacity_ - at);
    return {{bytes_.get() + at, first}, {bytes_.get(), n - first}, lines - linesTaken_, head};
  }
  // Consumer: frees the bytes of `q` (from peek()) for the producer.
  void consume(const Queued& q) {
    linesTaken_ += q.lines;
    tail_.store(q.end, std::memory_order_release);
  }

  // Any thread.
  uint64_t dropped() const { return dropped_.load(); }
  size_t capacity() const { return capacity_; }

 private:
  const size_t capacity_;
  const std::unique_ptr<char[]> bytes_;
  // The producer's and the consumer's positions on their own cache lines.
  alignas(64) std::atomic<uint64_t> head_{0};
  std::atomic<uint64_t> lines_{0};
  RelaxedCounter dropped_;
  alignas(64) std::atomic<uint64_t> tail_{0};
  uint64_t linesTaken_ = 0;  // consumer only
};

}  // namespace switchyard
