#pragma once
// A brake on guessing keys at the UI's login form: a token bucket of failed logins for the whole
// gateway (a request carries no peer address here, and a proxy in front would hide it anyway).
// Each failed login takes a token; while the bucket is empty every login, right or wrong, is
// answered 429 with Retry-After, so that the answer tells a guesser nothing. Keys are 2^128-ish
// secrets: the brake is against noise in the logs and load, and it costs an admin who mistyped
// at most a short wait.

#include <cstdint>
#include <mutex>

namespace switchyard {

class LoginThrottle {
 public:
  static constexpr int64_t kBurst = 10;           // failed logins allowed at once
  static constexpr int64_t kRefillMs = 6 * 1000;  // then one more every 6 s (10 a minute)

  // 0 when a login may be tried now, else the milliseconds until one may.
  int64_t waitMs(int64_t nowMs);
  void recordFailure(int64_t nowMs);

 private:
  void refill(int64_t nowMs);

  std::mutex mutex_;
  // The bucket in milliseconds of refill time (one token is kRefillMs): integers, exact.
  int64_t creditMs_ = kBurst * kRefillMs;
  int64_t updatedMs_ = 0;
};

}  // namespace switchyard
