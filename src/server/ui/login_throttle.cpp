#include "server/ui/login_throttle.hpp"

#include <algorithm>

namespace switchyard {

void FailureBucket::refill(int64_t nowMs) {
  if (updatedMs_ != 0 && nowMs > updatedMs_) {
    creditMs_ = std::min(burst_ * refillMs_, creditMs_ + (nowMs - updatedMs_));
  }
  // A clock that went back restarts the count from now rather than handing out tokens.
  updatedMs_ = nowMs;
}

int64_t FailureBucket::waitMs(int64_t nowMs) {
  refill(nowMs);
  return std::max<int64_t>(0, refillMs_ - creditMs_);
}

void FailureBucket::take(int64_t nowMs) {
  refill(nowMs);
  creditMs_ = std::max<int64_t>(0, creditMs_ - refillMs_);
}

LoginThrottle::Key LoginThrottle::keyOf(const PeerAddress& peer) {
  Key key = peer.bytes;
  // Not IPv4 (mapped, ::ffff:a.b.c.d): one host's /64.
  static constexpr uint8_t kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (!std::equal(kMapped, kMapped + 12, key.begin())) std::fill(key.begin() + 8, key.end(), 0);
  return key;
}

int64_t LoginThrottle::waitMs(const PeerAddress& peer, int64_t nowMs) {
  std::lock_guard lock(mutex_);
  int64_t wait = gateway_.waitMs(nowMs);
  if (auto it = perAddress_.find(keyOf(peer)); it != perAddress_.end()) {
    wait = std::max(wait, it->second.waitMs(nowMs));
  }
  return wait;
}

void LoginThrottle::recordFailure(const PeerAddress& peer, int64_t nowMs) {
  std::lock_guard lock(mutex_);
  gateway_.take(nowMs);
  const Key key = keyOf(peer);
  auto it = perAddress_.find(key);
  if (it == perAddress_.end()) {
    if (perAddress_.size() >= kMaxAddresses) makeRoom(nowMs);
    it = perAddress_.emplace(key, FailureBucket(kBurst, kRefillMs)).first;
  }
  it->second.take(nowMs);
}

void LoginThrottle::makeRoom(int64_t nowMs) {
  std::erase_if(perAddress_, [&](const auto& entry) { return entry.second.fullAt(nowMs); });
  if (perAddress_.size() < kMaxAddresses) return;
  auto idlest = std::min_element(
      perAddress_.begin(), perAddress_.end(),
      [](const auto& a, const auto& b) { return a.second.updatedMs() < b.second.updatedMs(); });
  perAddress_.erase(idlest);
}

size_t LoginThrottle::addresses() const {
  std::lock_guard lock(mutex_);
  return perAddress_.size();
}

}  // namespace switchyard
