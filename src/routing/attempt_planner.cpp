#include "routing/attempt_planner.hpp"

#include <algorithm>

#include "routing/context_check.hpp"

namespace switchyard {

namespace {

using std::chrono::milliseconds;

double unit(FastRandom& rng) {
  return static_cast<double>(rng() >> 11) * (1.0 / 9007199254740992.0);
}

Error totalTimeoutError() {
  return Error::make(ErrorClass::kTimeout,
                     "The request did not complete within the gateway's total_timeout.", {},
                     "total_timeout");
}

// Why a fallback group is tried, from the error that made the request leave the last one.
AttemptReason fallbackReason(ErrorClass cls) {
  if (cls == ErrorClass::kContextWindow) return AttemptReason::kContextWindowFallback;
  if (cls == ErrorClass::kContentPolicy) return AttemptReason::kContentPolicyFallback;
  return AttemptReason::kFallback;
}

}  // namespace

AttemptPlanner::AttemptPlanner(std::shared_ptr<const Snapshot> snapshot, std::string_view model,
                               const RoutePreferences* preferences, bool stream, FastRandom& rng,
                               RouterClock::time_point start)
    : snapshot_(std::move(snapshot)),
      settings_(snapshot_->router),
      preferences_(preferences),
      stream_(stream),
      rng_(rng),
      start_(start),
      requested_(model) {
  if (preferences_) {
    for (const auto& m : preferences_->models) {
      if (m != requested_) requestChain_.push_back(m);
    }
  }
}

RouteQuery AttemptPlanner::query() const {
  return RouteQuery{stream_, preferences_ ? &preferences_->provider : nullptr, context_};
}

const std::vector<std::string>* AttemptPlanner::fallbackChain(ErrorClass cls) const {
  if (!requestChain_.empty()) return &requestChain_;
  auto find = [&](const auto& map) -> const std::vector<std::string>* {
    if (auto it = map.find(requested_); it != map.end()) return &it->second;
    if (auto it = map.find(settings_.groupFor(requested_)); it != map.end()) return &it->second;
    if (auto it = map.find("*"); it != map.end()) return &it->second;
    return nullptr;
  };
  // The class-specific lists first; without one, a generic fallback may still serve (a bigger
  // model for a context window error, say).
  if (cls == ErrorClass::kContextWindow) {
    if (const auto* chain = find(settings_.contextWindowFallbacks)) return chain;
  }
  if (cls == ErrorClass::kContentPolicy) {
    if (const auto* chain = find(settings_.contentPolicyFallbacks)) return chain;
  }
  if (const auto* chain = find(settings_.fallbacks)) return chain;
  return settings_.defaultFallbacks.empty() ? nullptr : &settings_.defaultFallbacks;
}

bool AttemptPlanner::enterNextGroup(RouterClock::time_point now) {
  for (;;) {
    const bool fallback = started_;
    if (!started_) {
      started_ = true;
      group_ = settings_.groupFor(requested_);
    } else {
      if (!chain_) {
        chain_ = fallbackChain(lastError_ ? lastError_->cls : ErrorClass::kRateLimited);
      }
      if (!chain_ || chainPosition_ >= chain_->size() || fallbacks_ >= settings_.maxFallbacks) {
        return false;
      }
      group_ = settings_.groupFor((*chain_)[chainPosition_++]);
      if (group_ == settings_.groupFor(requested_)) continue;
    }
    position_ = 0;
    groupRetries_ = 0;
    groupAttempts_ = 0;
    auto selection = selectDeployments(snapshot_, group_, rng_, now, query());
    if (!selection) {
      // An unknown requested model is the answer; an unknown fallback group is skipped (the
      // config check already warned about it).
      if (!fallback) {
        lastError_ = selection.error();
        stop_ = true;
        return false;
      }
      continue;
    }
    if (fallback) {
      ++fallbacks_;
      groupReason_ = fallbackReason(lastError_ ? lastError_->cls : ErrorClass::kRateLimited);
    }
    selection_ = std::move(*selection);
    if (selection_.count == 0) {
      if (selection_.tooLong > 0 && selection_.skipped == 0) {
        // No deployment of the group can take the input: its context_window_fallbacks next,
        // before any call is wasted on it.
        lastError_ = context_->exceeded(group_);
      } else {
        unavailableError_ = noDeploymentAvailable(group_, selection_, now);
      }
      continue;
    }
    inGroup_ = true;
    return true;
  }
}

milliseconds AttemptPlanner::backoff(const Error& e) {
  const int64_t base = settings_.backoffBase.count();
  const int shift = std::min(groupRetries_, 20);
  const int64_t capped = std::min<int64_t>(settings_.backoffMax.count(), base << shift);
  // Half fixed, half random: spreads the retries of many clients without ever waiting ~0.
  auto wait = milliseconds(capped / 2 + static_cast<int64_t>(unit(rng_) * capped / 2));
  wait = std::max(wait, settings_.retryAfterMin);
  return std::max(wait, milliseconds(int64_t{e.retryAfterSeconds} * 1000));
}

Result<AttemptStep> AttemptPlanner::step(std::shared_ptr<const Deployment> d,
                                         DeploymentState* state, milliseconds wait,
                                         RouterClock::time_point now, bool retry) {
  AttemptStep s;
  s.deployment = std::move(d);
  s.state = state;
  s.wait = wait;
  if (selection_.wildcard) {
    s.canCoolDown = false;
  } else if (auto it = snapshot_->groups.find(group_); it != snapshot_->groups.end()) {
    s.canCoolDown = it->second.size() > 1;
  }
  if (settings_.totalTimeout.count() > 0) {
    const auto left =
        settings_.totalTimeout - std::chrono::duration_cast<milliseconds>(now + wait - start_);
    if (left.count() <= 0) return totalTimeoutError();
    s.budget = left;
  }
  if (!retry) {
    s.reason = AttemptReason::kHedge;
  } else if (groupAttempts_ > 0) {
    s.reason = AttemptReason::kRetry;
    ++retries_;
  } else {
    s.reason = groupReason_;
  }
  ++groupAttempts_;
  return s;
}

Result<AttemptStep> AttemptPlanner::repeat(RouterClock::time_point now) {
  const Error& e = *lastError_;
  // Errors another try of the same kind cannot fix are repeated only when retry_policy asks.
  const auto& explicitRetries = settings_.retriesByClass[static_cast<size_t>(e.cls)];
  const int allowed = e.retryable() ? settings_.retriesFor(e.cls) : explicitRetries.value_or(0);
  if (groupRetries_ >= allowed) return Error(e);
  milliseconds wait = backoff(e);
  if (selection_.wildcard) {
    if (wait > settings_.maxRetryWait) return Error(e);
    ++groupRetries_;
    return step(selection_.wildcard, &deploymentState(*selection_.wildcard), wait, now);
  }
  auto fresh = selectDeployments(snapshot_, group_, rng_, now, query());
  if (!fresh) return Error(e);
  int64_t index = -1;
  if (fresh->count > 0) {
    index = fresh->order[0];
  } else if (fresh->soonestIndex >= 0) {
    index = fresh->soonestIndex;
    wait = std::max(
        wait, std::chrono::duration_cast<milliseconds>(fresh->soonest - now) + milliseconds(1));
  }
  if (index < 0 || wait > settings_.maxRetryWait) return Error(e);
  ++groupRetries_;
  const auto& states = deploymentStates(snapshot_);
  return step(snapshot_->deployments[static_cast<size_t>(index)],
              states[static_cast<size_t>(index)], wait, now);
}

Result<AttemptStep> AttemptPlanner::next(RouterClock::time_point now) {
  if (stop_) return finalError();
  if (settings_.totalTimeout.count() > 0 && now - start_ >= settings_.totalTimeout) {
    return lastError_ ? *lastError_ : totalTimeoutError();
  }
  for (;;) {
    if (!inGroup_ && !enterNextGroup(now)) return finalError();
    if (leaveGroup_) {
      leaveGroup_ = false;
      inGroup_ = false;
      continue;
    }
    // provider.allow_fallbacks: false keeps the request on its first choice.
    const bool failover =
        !preferences_ || preferences_->provider.allowFallbacks || groupAttempts_ == 0;
    while (failover && position_ < selection_.count) {
      const uint32_t k = position_++;
      if (selection_.wildcard) {
        return step(selection_.wildcard, &deploymentState(*selection_.wildcard), milliseconds(0),
                    now);
      }
      const uint32_t index = selection_.order[k];
      const auto& d = snapshot_->deployments[index];
      DeploymentState* state = deploymentStates(snapshot_)[index];
      // Another request may have tripped it or filled it up since the group was ranked.
      RouterClock::time_point until;
      if (state->check(*d, now, until) != Unavailable::kNo) continue;
      return step(d, state, milliseconds(0), now);
    }
    position_ = selection_.count;
    if (lastError_ && groupAttempts_ > 0) {
      if (auto again = repeat(now)) return again;
    }
    inGroup_ = false;
  }
}

std::optional<AttemptStep> AttemptPlanner::hedge(RouterClock::time_point now) {
  if (!inGroup_ || stop_ || leaveGroup_ || selection_.wildcard) return std::nullopt;
  if (preferences_ && !preferences_->provider.allowFallbacks) return std::nullopt;
  const auto& states = deploymentStates(snapshot_);
  while (position_ < selection_.count) {
    const uint32_t index = selection_.order[position_++];
    DeploymentState* state = states[index];
    RouterClock::time_point until;
    if (state->check(*snapshot_->deployments[index], now, until) != Unavailable::kNo) continue;
    auto s = step(snapshot_->deployments[index], state, milliseconds(0), now, false);
    if (!s) return std::nullopt;  // the request's total timeout is spent
    return std::move(*s);
  }
  return std::nullopt;
}

void AttemptPlanner::failed(const Error& e) {
  lastError_ = e;
  switch (e.cls) {
    case ErrorClass::kBadRequest:
    case ErrorClass::kPayloadTooLarge:
    case ErrorClass::kInternal:
      stop_ = true;  // the request itself is at fault: no deployment will answer differently
      break;
    case ErrorClass::kContextWindow:
    case ErrorClass::kContentPolicy:
      leaveGroup_ = true;  // the group's deployments share the model and its limits
      break;
    default:
      break;
  }
}

Error AttemptPlanner::finalError() const {
  if (lastError_) return *lastError_;
  if (unavailableError_) return *unavailableError_;
  return Error::make(ErrorClass::kUnavailable, "No deployment could serve the request.");
}

}  // namespace switchyard
