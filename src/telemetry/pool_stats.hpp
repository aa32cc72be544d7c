#pragma once
// A worker's upstream connection-pool counters, per origin ("https://api.openai.com:443").
// Written by the owning worker, read by the /metrics scrape from another thread: origins get a
// slot on first use and keep it, so the scrape walks a published prefix of a fixed array. Past
// kMaxOrigins slots every origin is counted in one overflow slot; the scrape also labels the
// origins that no configured deployment points at as "_other" (see MetricsRegistry::render).

#include <array>
#include <atomic>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "telemetry/relaxed_counter.hpp"

namespace switchyard {

struct OriginPoolCounters {
  explicit OriginPoolCounters(std::string_view o) : origin(o) {}
  const std::string origin;
  RelaxedCounter opened;
  RelaxedCounter reused;
  RelaxedGauge idle;
};

class PoolStats {
 public:
  static constexpr size_t kMaxOrigins = 64;
  static constexpr std::string_view kOverflowOrigin = "_other";

  PoolStats() : overflow_(kOverflowOrigin) {}
  PoolStats(const PoolStats&) = delete;
  PoolStats& operator=(const PoolStats&) = delete;

  // Worker thread only. A request mostly goes to the origin of the one before: that one is
  // compared first.
  OriginPoolCounters& origin(std::string_view origin) {
    if (last_ != nullptr && last_->origin == origin) return *last_;
    last_ = &find(origin);
    return *last_;
  }
  // Worker thread only: the pools were emptied.
  void idleCleared() {
    for (auto& c : owned_) c->idle.set(0);
    overflow_.idle.set(0);
  }

  // Any thread: f(counters) for each origin used so far, the overflow slot last (when used).
  template <class F>
  void forEach(F&& f) const {
    const size_t n = published_.load(std::memory_order_acquire);
    for (size_t i = 0; i < n; ++i) f(*slots_[i].load(std::memory_order_acquire));
    if (overflowUsed_.load(std::memory_order_acquire)) f(overflow_);
  }

 private:
  OriginPoolCounters& find(std::string_view origin) {
    const size_t n = published_.load(std::memory_order_relaxed);
    for (size_t i = 0; i < n; ++i) {
      OriginPoolCounters* c = slots_[i].load(std::memory_order_relaxed);
      if (c->origin == origin) return *c;
    }
    if (n == kMaxOrigins) {
      overflowUsed_.store(true, std::memory_order_release);
      return overflow_;
    }
    auto& c = owned_.emplace_back(std::make_unique<OriginPoolCounters>(origin));
    slots_[n].store(c.get(), std::memory_order_release);
    published_.store(n + 1, std::memory_order_release);
    return *c;
  }

  OriginPoolCounters* last_ = nullptr;  // worker only
  std::vector<std::unique_ptr<OriginPoolCounters>> owned_;
  std::array<std::atomic<OriginPoolCounters*>, kMaxOrigins> slots_{};
  std::atomic<size_t> published_{0};
  OriginPoolCounters overflow_;
  std::atomic<bool> overflowUsed_{false};
};

}  // namespace switchyard
