#pragma once
// A bounded single-producer, single-consumer queue of span records: one per worker thread, read
// by the exporter thread. The worker writes a record in place and publishes it with one release
// store; no lock, no allocation. When the ring is full the span is dropped and counted.

#include <algorithm>
#include <atomic>
#include <bit>
#include <cstdint>
#include <memory>
#include <new>
#include <type_traits>

#include "telemetry/relaxed_counter.hpp"
#include "telemetry/span_record.hpp"

namespace switchyard {

// Slots are reused by placement new without destroying the record before, and read by the
// exporter as plain bytes written by another thread.
static_assert(std::is_trivially_copyable_v<SpanRecord> &&
              std::is_trivially_destructible_v<SpanRecord>);

class SpanRing {
 public:
  // Holds up to `capacity` records, in slots rounded up to a power of two.
  explicit SpanRing(size_t capacity)
      : capacity_(std::max<size_t>(capacity, 1)),
        slotCount_(std::bit_ceil(capacity_)),
        slots_(std::allocator<SpanRecord>().allocate(slotCount_)) {}
  ~SpanRing() { std::allocator<SpanRecord>().deallocate(slots_, slotCount_); }
  SpanRing(const SpanRing&) = delete;
  SpanRing& operator=(const SpanRing&) = delete;

  // Producer: a fresh record to fill, then publish(); nullptr (the drop counted) when full.
  SpanRecord* claim() {
    const uint64_t head = head_.load(std::memory_order_relaxed);
    if (head - tail_.load(std::memory_order_acquire) >= capacity_) {
      ++dropped_;
      return nullptr;
    }
    return new (&slot(head)) SpanRecord;
  }
  // Producer: makes the claimed record visible; returns how many are queued now. Slots were last
  // written a ring's length ago and have left the caches: the one after the next is fetched now,
  // for writing, so that filling it does not wait for memory (perf: that wait was most of what a
  // traced request cost its worker beyond the log). Two ahead, because a request writes two
  // records in a row (its client span, then its server span).
  uint64_t publish() {
    const uint64_t head = head_.load(std::memory_order_relaxed) + 1;
    head_.store(head, std::memory_order_release);
    prefetch(slot(head + 1), /*forWriting=*/true);
    return head - tail_.load(std::memory_order_relaxed);
  }

  // Consumer: passes up to `max` queued records to `use`, oldest first, then frees their slots.
  // Records were written some thousands of requests ago and have mostly left the caches: the
  // ones a little ahead are fetched while `use` works on the current one (the encoder stalled on
  // reading the records' text otherwise).
  template <class F>
  size_t drain(size_t max, F&& use) {
    const uint64_t tail = tail_.load(std::memory_order_relaxed);
    const uint64_t head = head_.load(std::memory_order_acquire);
    const uint64_t n = std::min<uint64_t>(head - tail, max);
    for (uint64_t i = 0; i < n && i < kPrefetchAhead; ++i) prefetch(slot(tail + i));
    for (uint64_t i = 0; i < n; ++i) {
      if (i + kPrefetchAhead < n) prefetch(slot(tail + i + kPrefetchAhead));
      use(slot(tail + i));
    }
    tail_.store(tail + n, std::memory_order_release);
    return size_t(n);
  }

  // Any thread.
  size_t queued() const {
    const uint64_t tail = tail_.load(std::memory_order_acquire);  // first: never past head
    return size_t(head_.load(std::memory_order_acquire) - tail);
  }
  uint64_t dropped() const { return dropped_.load(); }

 private:
  static constexpr uint64_t kPrefetchAhead = 2;
  // The record's numbers and the start of its text: what an encoder reads of a usual record.
  static constexpr size_t kPrefetchBytes = std::min<size_t>(sizeof(SpanRecord), 384);

  static void prefetch(const SpanRecord& record, bool forWriting = false) {
    const char* p = reinterpret_cast<const char*>(&record);
    if (forWriting) {
      for (size_t at = 0; at < kPrefetchBytes; at += 64) __builtin_prefetch(p + at, 1);
    } else {
      for (size_t at = 0; at < kPrefetchBytes; at += 64) __builtin_prefetch(p + at, 0);
    }
  }

  // A position's slot: a mask, not a division, on every record.
  SpanRecord& slot(uint64_t position) const { return slots_[position & (slotCount_ - 1)]; }

  const size_t capacity_;
  const size_t slotCount_;
  SpanRecord* const slots_;
  // The producer's and the consumer's positions on their own cache lines, so that neither's
  // writes invalidate the other's line more than the hand-over needs.
  alignas(64) std::atomic<uint64_t> head_{0};
  alignas(64) std::atomic<uint64_t> tail_{0};
  alignas(64) RelaxedCounter dropped_;
};

}  // namespace switchyard
