#include "server/ui/login_throttle.hpp"

#include <algorithm>

namespace switchyard {

void LoginThrottle::refill(int64_t nowMs) {
  if (updatedMs_ != 0 && nowMs > updatedMs_) {
    creditMs_ = std::min(kBurst * kRefillMs, creditMs_ + (nowMs - updatedMs_));
  }
  // A clock that went back restarts the count from now rather than handing out tokens.
  updatedMs_ = nowMs;
}

int64_t LoginThrottle::waitMs(int64_t nowMs) {
  std::lock_guard lock(mutex_);
  refill(nowMs);
  return std::max<int64_t>(0, kRefillMs - creditMs_);
}

void LoginThrottle::recordFailure(int64_t nowMs) {
  std::lock_guard lock(mutex_);
  refill(nowMs);
  creditMs_ = std::max<int64_t>(0, creditMs_ - kRefillMs);
}

}  // namespace switchyard
