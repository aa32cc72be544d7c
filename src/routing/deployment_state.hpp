#pragma once
// What the router knows about each deployment at run time: load (in flight, requests and tokens
// this minute), latency estimates and the circuit breaker. Each deployment of a snapshot owns
// its state (Deployment::state); a reload hands it on to the same upstream in the new snapshot
// (by deploymentStateKey) and drops the states of removed deployments with the last snapshot
// that has them. Every worker thread sees the same counters; each field is a relaxed atomic,
// because a slightly stale reading only makes one routing decision slightly worse, never wrong
// in a way that matters.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "config/router_settings.hpp"
#include "core/error.hpp"

namespace switchyard {

struct Deployment;
struct Snapshot;

using RouterClock = std::chrono::steady_clock;

enum class BreakerState : uint8_t { kClosed, kOpen, kHalfOpen };
std::string_view breakerStateName(BreakerState s);

// Why a deployment cannot take a request now.
enum class Unavailable : uint8_t { kNo, kCoolingDown, kRateLimited, kProbing, kRpm, kTpm, kBusy };

class DeploymentState {
 public:
  // Can this deployment take one more request at `now`? When not, `until` is when it may.
  Unavailable check(const Deployment& d, RouterClock::time_point now,
                    RouterClock::time_point& until) const;

  // An attempt starts: counts it, and takes the half-open probe when the cooldown is over. False
  // when another request holds the probe (the caller then tries elsewhere).
  bool begin(RouterClock::time_point now);
  // The attempt's outcome. A deployment that answered (even with a client error) is healthy.
  void succeeded(RouterClock::time_point now, std::chrono::microseconds latency,
                 std::chrono::microseconds ttft, bool stream);
  // `canCoolDown` is false for the only deployment of a group (as in LiteLLM): skipping it
  // would only turn its errors into 429s, so its failures are counted but never trip it.
  void failed(RouterClock::time_point now, const Error& e, const RouterSettings& settings,
              bool canCoolDown = true);
  // Neither: the client went away or the request itself was refused before it was sent.
  void abandoned();
  // A background health check's outcome (no request was counted in flight for it): a success
  // ends a cooldown early, a failure counts like a live one.
  void healthChecked(RouterClock::time_point now, const Error* failure,
                     const RouterSettings& settings, bool canCoolDown);
  void addTokens(RouterClock::time_point now, int64_t tokens);

  // Sharing across instances (store/redis/shared_counters.hpp). How many times this instance
  // opened the breaker: a change tells the sync thread to publish the cooldown.
  uint32_t trips() const { return trips_.load(std::memory_order_relaxed); }
  // Another instance cooled this deployment down until `until`: it is skipped here too.
  void adoptCooldown(RouterClock::time_point until);
  // The other instances' requests and tokens this minute, which rpm/tpm limits count too.
  void setOthersRequests(RouterClock::time_point now, int64_t requests);
  void setOthersTokens(RouterClock::time_point now, int64_t tokens);

  int32_t inFlight() const { return inFlight_.load(std::memory_order_relaxed); }
  // Microseconds; negative while there is no sample yet.
  int64_t latencyUs() const { return latencyUs_.load(std::memory_order_relaxed); }
  int64_t ttftUs() const { return ttftUs_.load(std::memory_order_relaxed); }
  int64_t tokensThisMinute(RouterClock::time_point now) const;
  int64_t requestsThisMinute(RouterClock::time_point now) const;
  BreakerState breaker(RouterClock::time_point now) const;
  RouterClock::time_point cooldownUntil() const;
  uint64_t totalRequests() const { return totalRequests_.load(std::memory_order_relaxed); }
  uint64_t totalFailures() const { return totalFailures_.load(std::memory_order_relaxed); }
  int32_t recentFailures() const { return failures_.load(std::memory_order_relaxed); }
  std::string_view lastError() const;

 private:
  static int64_t ticks(RouterClock::time_point t) { return t.time_since_epoch().count(); }
  static int64_t minuteOf(RouterClock::time_point t);
  void rollMinute(int64_t minute);
  void releaseProbe(bool healthy, RouterClock::time_point now, const RouterSettings* settings);
  void recordFailure(RouterClock::time_point now, const Error& e, const RouterSettings& settings,
                     bool canCoolDown);

  std::atomic<int32_t> inFlight_{0};
  std::atomic<int64_t> latencyUs_{-1};
  std::atomic<int64_t> ttftUs_{-1};
  std::atomic<int64_t> minute_{0};  // the minute the counters below belong to
  std::atomic<int64_t> requestsThisMinute_{0};
  std::atomic<int64_t> tokensThisMinute_{0};
  std::atomic<int32_t> failures_{0};  // failures in the current minute
  std::atomic<int64_t> failureMinute_{0};
  std::atomic<int64_t> cooldownUntil_{0};     // breaker open until (clock ticks)
  std::atomic<int64_t> rateLimitedUntil_{0};  // upstream's Retry-After (clock ticks)
  std::atomic<uint8_t> breaker_{static_cast<uint8_t>(BreakerState::kClosed)};
  std::atomic<bool> probing_{false};
  std::atomic<uint64_t> totalRequests_{0};
  std::atomic<uint64_t> totalFailures_{0};
  std::atomic<uint8_t> lastErrorClass_{0};  // ErrorClass + 1; 0: none yet
  std::atomic<uint32_t> trips_{0};
  std::atomic<int64_t> othersMinute_{0};  // the local minute the two below belong to
  std::atomic<int64_t> othersRequests_{0};
  std::atomic<int64_t> othersTokens_{0};
};

// What a deployment's state is keyed by across reloads: model_info.id when set (LiteLLM's
// explicit id), else what makes it the same upstream (group, provider, api_base, model, version,
// a hash of the key, extra headers and provider credentials), so that a reload which adds or
// reorders entries (and so renumbers
// "<model_name>#<index>" ids) keeps each deployment's own state. A wildcard route has one state
// for all its models.
std::string deploymentStateKey(const Deployment& d);

// The deployment's state: no lookup, no lock.
DeploymentState& deploymentState(const Deployment& d);

// The states of a snapshot's deployments, index for index.
class DeploymentStates {
 public:
  explicit DeploymentStates(const Snapshot& s) : snapshot_(&s) {}
  DeploymentState* operator[](size_t index) const;

 private:
  const Snapshot* snapshot_;
};
inline DeploymentStates deploymentStates(const std::shared_ptr<const Snapshot>& s) {
  return DeploymentStates(*s);
}

// Gives `next` (a reload, not yet published) the states of the same upstreams in `previous`, and
// one state to the deployments of `next` that are the same upstream. Deployments are copied
// where their state changes: those of `next` may be shared with the parsed snapshot.
void carryOverDeploymentStates(Snapshot& next, const Snapshot* previous);

// A read-only view of one deployment's state, for GET /health and metrics exporters.
struct DeploymentHealth {
  std::string id;
  std::string modelName;
  std::string provider;
  std::string apiBaseHost;
  BreakerState breaker = BreakerState::kClosed;
  double cooldownRemainingSeconds = 0;
  bool rateLimited = false;
  int32_t inFlight = 0;
  int64_t requestsThisMinute = 0;
  int64_t tokensThisMinute = 0;
  int32_t recentFailures = 0;
  uint64_t totalRequests = 0;
  uint64_t totalFailures = 0;
  double latencyMs = -1;  // moving average; -1 before the first answer
  double ttftMs = -1;
  std::string lastError;  // error class name of the last failure
};
// For health endpoints and scrapes.
std::vector<DeploymentHealth> deploymentHealthSnapshot(const Snapshot& s);

}  // namespace switchyard
