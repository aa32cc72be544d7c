#pragma once
// A brake on guessing keys at the UI's login form: token buckets of failed logins, one per client
// address (so that a flood from one address does not lock an admin out from another) and one,
// much larger, for the whole gateway (a backstop against a flood from many addresses). Each
// failed login takes a token from both; while either is empty every login, right or wrong, is
// answered 429 with Retry-After, so that the answer tells a guesser nothing. Keys are 2^128-ish
// secrets: the brake is against noise in the logs and load, and it costs an admin who mistyped
// at most a short wait.
//
// IPv6 clients are counted per /64, the block one host is usually given. Behind a reverse proxy
// every client has the proxy's address, and then the per-address bucket is one for all (see
// docs/ui.md).

#include <array>
#include <cstdint>
#include <map>
#include <mutex>

#include "server/http_request.hpp"

namespace switchyard {

// One token bucket, in milliseconds of refill time (one token is `refillMs`): integers, exact.
class FailureBucket {
 public:
  FailureBucket(int64_t burst, int64_t refillMs)
      : burst_(burst), refillMs_(refillMs), creditMs_(burst * refillMs) {}
  int64_t waitMs(int64_t nowMs);
  void take(int64_t nowMs);
  // Full again by `nowMs`: the same as a bucket never used.
  bool fullAt(int64_t nowMs) const {
    return updatedMs_ == 0 || nowMs >= updatedMs_ + (burst_ * refillMs_ - creditMs_);
  }
  int64_t updatedMs() const { return updatedMs_; }

 private:
  void refill(int64_t nowMs);

  int64_t burst_;
  int64_t refillMs_;
  int64_t creditMs_;
  int64_t updatedMs_ = 0;
};

class LoginThrottle {
 public:
  static constexpr int64_t kBurst = 10;             // failed logins from one address at once
  static constexpr int64_t kRefillMs = 6 * 1000;    // then one more every 6 s (10 a minute)
  static constexpr int64_t kGatewayBurst = 200;     // from all addresses together
  static constexpr int64_t kGatewayRefillMs = 300;  // one more every 0.3 s (200 a minute)
  // Addresses remembered at once. An address whose bucket has refilled is forgotten first;
  // beyond this the one idle longest is (forgetting only ever makes a bucket fuller, and the
  // gateway's bucket still holds).
  static constexpr size_t kMaxAddresses = 4096;

  // 0 when a login from `peer` may be tried now, else the milliseconds until one may.
  int64_t waitMs(const PeerAddress& peer, int64_t nowMs);
  void recordFailure(const PeerAddress& peer, int64_t nowMs);
  size_t addresses() const;  // in the table now (tests)

 private:
  using Key = std::array<uint8_t, 16>;
  static Key keyOf(const PeerAddress& peer);
  void makeRoom(int64_t nowMs);

  mutable std::mutex mutex_;
  FailureBucket gateway_{kGatewayBurst, kGatewayRefillMs};
  std::map<Key, FailureBucket> perAddress_;
};

}  // namespace switchyard
