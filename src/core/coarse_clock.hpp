#pragma once
// A steady clock read without the time-stamp counter: CLOCK_MONOTONIC_COARSE, the kernel's
// tick time, at most one tick (1-4 ms) behind the fine clock. A fine read costs about 16 ns on
// the virtual machines gateways run on (4 ns for this one), and the request path used to make
// a dozen. Timeouts and idle times are seconds long and checked by a 100 ms sweep: they read
// this clock. Latencies that are measured and reported keep the fine one.

#include <chrono>
#include <ctime>

namespace switchyard {

struct CoarseClock {
  // steady_clock's own types: it reads CLOCK_MONOTONIC, the same time base.
  using duration = std::chrono::steady_clock::duration;
  using rep = duration::rep;
  using period = duration::period;
  using time_point = std::chrono::steady_clock::time_point;
  static constexpr bool is_steady = true;

  static time_point now() noexcept {
    timespec ts;
    clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
    return time_point(std::chrono::duration_cast<duration>(std::chrono::seconds(ts.tv_sec) +
                                                           std::chrono::nanoseconds(ts.tv_nsec)));
  }
};

}  // namespace switchyard
