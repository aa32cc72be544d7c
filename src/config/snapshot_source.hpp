#pragma once
// Holds the current snapshot. Workers keep their own copy of the pointer and refresh it only
// when the generation moves, so the hot path reads one relaxed atomic, not a lock.

#include <atomic>
#include <memory>
#include <mutex>

#include "config/snapshot.hpp"

namespace switchyard {

class SnapshotSource {
 public:
  explicit SnapshotSource(std::shared_ptr<const Snapshot> initial) : current_(std::move(initial)) {}

  void set(std::shared_ptr<const Snapshot> next) {
    std::lock_guard lock(mutex_);
    current_ = std::move(next);
    generation_.fetch_add(1, std::memory_order_release);
  }
  std::shared_ptr<const Snapshot> get() const {
    std::lock_guard lock(mutex_);
    return current_;
  }
  uint64_t generation() const { return generation_.load(std::memory_order_acquire); }

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<const Snapshot> current_;
  std::atomic<uint64_t> generation_{0};
};

// A worker's view: cheap to read on every request.
class SnapshotCache {
 public:
  explicit SnapshotCache(const SnapshotSource& source)
      : source_(source), generation_(source.generation()), current_(source.get()) {}

  const std::shared_ptr<const Snapshot>& get() {
    if (const auto g = source_.generation(); g != generation_) {
      current_ = source_.get();
      generation_ = g;
    }
    return current_;
  }

 private:
  const SnapshotSource& source_;
  uint64_t generation_;
  std::shared_ptr<const Snapshot> current_;
};

}  // namespace switchyard
