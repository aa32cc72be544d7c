#pragma once
// Decides, attempt after attempt, where a request goes next: every available deployment of the
// group once (failover), then retries with backoff as num_retries / retry_policy allow, then the
// fallback groups for the error's class (context window, content policy, anything else), at most
// max_fallbacks of them. Pure logic with the time passed in, so it is tested without I/O; the
// proxy handler runs the attempts and reports each outcome back.

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/random.hpp"
#include "routing/router.hpp"
#include "telemetry/attempt_trail.hpp"

namespace switchyard {

struct AttemptStep {
  std::shared_ptr<const Deployment> deployment;
  DeploymentState* state = nullptr;
  std::chrono::milliseconds wait{0};  // sleep this long before the attempt (backoff)
  // The attempt's time budget when the request has a total timeout; 0: the deployment's own.
  std::chrono::milliseconds budget{0};
  bool canCoolDown = true;  // false for a group's only deployment (see DeploymentState)
  AttemptReason reason = AttemptReason::kFirst;  // for the request's attempt trail
};

class AttemptPlanner {
 public:
  AttemptPlanner(std::shared_ptr<const Snapshot> snapshot, std::string_view model,
                 const RoutePreferences* preferences, bool stream, FastRandom& rng,
                 RouterClock::time_point start);

  // Checks the request's input against the deployments' context windows (null: no check).
  void checkContext(ContextCheck* check) { context_ = check; }

  // The next attempt, or the error to answer with when nothing is left to try.
  Result<AttemptStep> next(RouterClock::time_point now);
  // The last step's attempt failed with `e` (already recorded in the deployment's state).
  void failed(const Error& e);
  // A second deployment to race against the attempt in flight (hedging): the next available one
  // of the group's first pass. Never a retry, a backoff wait or another group, and not counted
  // as a retry; none when the group has no other deployment left.
  std::optional<AttemptStep> hedge(RouterClock::time_point now);

  int retries() const { return retries_; }
  int fallbacks() const { return fallbacks_; }
  const std::string& group() const { return group_; }

 private:
  bool enterNextGroup(RouterClock::time_point now);
  const std::vector<std::string>* fallbackChain(ErrorClass cls) const;
  std::chrono::milliseconds backoff(const Error& e);
  Result<AttemptStep> step(std::shared_ptr<const Deployment> d, DeploymentState* state,
                           std::chrono::milliseconds wait, RouterClock::time_point now,
                           bool retry = true);
  Result<AttemptStep> repeat(RouterClock::time_point now);
  RouteQuery query() const;
  Error finalError() const;

  std::shared_ptr<const Snapshot> snapshot_;
  const RouterSettings& settings_;
  const RoutePreferences* preferences_;
  ContextCheck* context_ = nullptr;
  bool stream_;
  FastRandom& rng_;
  RouterClock::time_point start_;
  std::string requested_;  // the model the client asked for
  std::string group_;      // the group being tried
  bool inGroup_ = false;
  bool started_ = false;  // the requested group was entered
  Selection selection_;
  uint32_t position_ = 0;  // next candidate of the first pass
  int groupRetries_ = 0;   // repeats in this group
  int retries_ = 0;        // every attempt in a group after its first
  int groupAttempts_ = 0;
  int fallbacks_ = 0;
  AttemptReason groupReason_ = AttemptReason::kFirst;  // why the group being tried was entered
  const std::vector<std::string>* chain_ = nullptr;    // fallback groups, chosen on leaving
  size_t chainPosition_ = 0;
  std::optional<Error> lastError_;         // of the last attempt
  std::optional<Error> unavailableError_;  // a group with nothing available
  bool stop_ = false;                      // an error no other deployment can fix
  bool leaveGroup_ = false;                // an error only another group can fix
  std::vector<std::string> requestChain_;  // the request's `models` after the first
};

}  // namespace switchyard
