#pragma once
// Counters written by one thread (a worker) and read by another (the /metrics scrape). A relaxed
// load and store compile to plain moves on x86 and ARM: no locked read-modify-write on the hot
// path, yet the reader never sees a torn value.

#include <atomic>
#include <cstdint>

namespace switchyard {

template <class T>
class SingleWriter {
 public:
  // Only the owning thread may call these.
  void add(T n) { v_.store(v_.load(std::memory_order_relaxed) + n, std::memory_order_relaxed); }
  void set(T n) { v_.store(n, std::memory_order_relaxed); }
  SingleWriter& operator++() {
    add(T(1));
    return *this;
  }
  SingleWriter& operator--() {
    add(T(-1));
    return *this;
  }
  // Any thread.
  T load() const { return v_.load(std::memory_order_relaxed); }

 private:
  std::atomic<T> v_{T(0)};
};

using RelaxedCounter = SingleWriter<uint64_t>;
using RelaxedGauge = SingleWriter<int64_t>;
using RelaxedSum = SingleWriter<double>;

}  // namespace switchyard
