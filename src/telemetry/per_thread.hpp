#pragma once
// One object per writing thread for one owner: a log sink's buffers, a span exporter's rings.
// While a thread keeps writing to the same owner it finds its object with two thread-local
// loads. A thread that writes to several owners in turn (requests that began before and after
// a reload that replaced the sink or the exporter) finds its object again under the lock rather
// than making one more each time it switches: each owner keeps one object per thread.

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace switchyard {

template <class T>
class PerThread {
 public:
  PerThread() : id_(nextId()) {}
  PerThread(const PerThread&) = delete;
  PerThread& operator=(const PerThread&) = delete;

  // This thread's object, made from `args` the first time the thread asks this owner.
  template <class... Args>
  T& forThisThread(const Args&... args) {
    Cache& cache = threadCache();
    if (cache.owner != id_) {
      std::lock_guard lock(mutex_);
      const auto self = std::this_thread::get_id();
      auto it = std::find_if(slots_.begin(), slots_.end(),
                             [&](const Slot& s) { return s.thread == self; });
      // A thread id may be reused once its thread has ended: the new thread then takes over
      // the old one's object, which nobody else writes to any more.
      if (it == slots_.end()) it = slots_.insert(it, Slot{self, std::make_unique<T>(args...)});
      cache = {id_, it->object.get()};
    }
    return *cache.object;
  }

  // Calls f(T&) for every thread's object, under the lock that forThisThread takes to add one.
  template <class F>
  void forEach(F&& f) const {
    std::lock_guard lock(mutex_);
    for (const auto& s : slots_) f(*s.object);
  }

 private:
  struct Slot {
    std::thread::id thread;
    std::unique_ptr<T> object;
  };
  // The owner this thread used last; an id, as a later owner could reuse an address.
  struct Cache {
    uint64_t owner = 0;
    T* object = nullptr;
  };
  static Cache& threadCache() {
    thread_local Cache cache;
    return cache;
  }
  static uint64_t nextId() {
    static std::atomic<uint64_t> next{1};
    return next.fetch_add(1, std::memory_order_relaxed);
  }

  const uint64_t id_;
  mutable std::mutex mutex_;
  std::vector<Slot> slots_;
};

}  // namespace switchyard
