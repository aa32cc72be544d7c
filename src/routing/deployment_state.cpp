#include "routing/deployment_state.hpp"

#include <functional>
#include <map>

#include "config/snapshot.hpp"

namespace switchyard {

namespace {

constexpr auto kRelaxed = std::memory_order_relaxed;
constexpr int64_t kTicksPerMinute =
    std::chrono::duration_cast<RouterClock::duration>(std::chrono::minutes(1)).count();
// A deployment refusing for "Retry-After: 1 year" is skipped for an hour at most.
constexpr int64_t kMaxRateLimitSeconds = 3600;

int64_t ticksOf(std::chrono::milliseconds d) {
  return std::chrono::duration_cast<RouterClock::duration>(d).count();
}

// The request's own fault: the deployment answered properly, so it counts as healthy.
bool clientFault(ErrorClass cls) {
  return cls == ErrorClass::kBadRequest || cls == ErrorClass::kContextWindow ||
         cls == ErrorClass::kContentPolicy || cls == ErrorClass::kPayloadTooLarge;
}

// Moving average with weight 1/4 for the new sample: reacts within a few requests. Concurrent
// updates may lose one sample, which an estimate can afford.
void blend(std::atomic<int64_t>& avg, int64_t sample) {
  const int64_t old = avg.load(kRelaxed);
  avg.store(old < 0 ? sample : old + (sample - old) / 4, kRelaxed);
}

}  // namespace

std::string_view breakerStateName(BreakerState s) {
  switch (s) {
    case BreakerState::kClosed:
      return "healthy";
    case BreakerState::kOpen:
      return "cooling_down";
    case BreakerState::kHalfOpen:
      return "probing";
  }
  return "healthy";
}

int64_t DeploymentState::minuteOf(RouterClock::time_point t) { return ticks(t) / kTicksPerMinute; }

void DeploymentState::rollMinute(int64_t minute) {
  int64_t seen = minute_.load(kRelaxed);
  if (seen == minute) return;
  // One thread wins the roll and zeroes the counters; the others' increments of this instant
  // may land either side, which is within the estimate's tolerance.
  if (minute_.compare_exchange_strong(seen, minute, kRelaxed)) {
    requestsThisMinute_.store(0, kRelaxed);
    tokensThisMinute_.store(0, kRelaxed);
  }
}

int64_t DeploymentState::requestsThisMinute(RouterClock::time_point now) const {
  return minute_.load(kRelaxed) == minuteOf(now) ? requestsThisMinute_.load(kRelaxed) : 0;
}

int64_t DeploymentState::tokensThisMinute(RouterClock::time_point now) const {
  return minute_.load(kRelaxed) == minuteOf(now) ? tokensThisMinute_.load(kRelaxed) : 0;
}

BreakerState DeploymentState::breaker(RouterClock::time_point now) const {
  const auto b = static_cast<BreakerState>(breaker_.load(kRelaxed));
  if (b == BreakerState::kOpen && ticks(now) >= cooldownUntil_.load(kRelaxed)) {
    return BreakerState::kHalfOpen;  // the next request probes it
  }
  return b;
}

RouterClock::time_point DeploymentState::cooldownUntil() const {
  return RouterClock::time_point(RouterClock::duration(cooldownUntil_.load(kRelaxed)));
}

std::string_view DeploymentState::lastError() const {
  const uint8_t c = lastErrorClass_.load(kRelaxed);
  return c == 0 ? std::string_view() : errorClassName(static_cast<ErrorClass>(c - 1));
}

Unavailable DeploymentState::check(const Deployment& d, RouterClock::time_point now,
                                   RouterClock::time_point& until) const {
  const int64_t n = ticks(now);
  auto at = [](int64_t t) { return RouterClock::time_point(RouterClock::duration(t)); };
  if (const int64_t rl = rateLimitedUntil_.load(kRelaxed); n < rl) {
    until = at(rl);
    return Unavailable::kRateLimited;
  }
  const auto b = static_cast<BreakerState>(breaker_.load(kRelaxed));
  if (b != BreakerState::kClosed) {
    if (const int64_t cu = cooldownUntil_.load(kRelaxed); n < cu) {
      until = at(cu);
      return Unavailable::kCoolingDown;
    }
    if (probing_.load(kRelaxed)) {
      until = now + std::chrono::seconds(1);
      return Unavailable::kProbing;
    }
  }
  if (d.maxParallelRequests && inFlight_.load(kRelaxed) >= *d.maxParallelRequests) {
    until = now + std::chrono::seconds(1);
    return Unavailable::kBusy;
  }
  const int64_t minute = minuteOf(now);
  const bool own = minute_.load(kRelaxed) == minute;
  const bool others = othersMinute_.load(kRelaxed) == minute;
  if (own || others) {
    const auto nextMinute = at((minute + 1) * kTicksPerMinute);
    const int64_t requests = (own ? requestsThisMinute_.load(kRelaxed) : 0) +
                             (others ? othersRequests_.load(kRelaxed) : 0);
    const int64_t tokens =
        (own ? tokensThisMinute_.load(kRelaxed) : 0) + (others ? othersTokens_.load(kRelaxed) : 0);
    if (d.rpm && requests >= *d.rpm) {
      until = nextMinute;
      return Unavailable::kRpm;
    }
    if (d.tpm && tokens >= *d.tpm) {
      until = nextMinute;
      return Unavailable::kTpm;
    }
  }
  return Unavailable::kNo;
}

bool DeploymentState::begin(RouterClock::time_point now) {
  if (static_cast<BreakerState>(breaker_.load(kRelaxed)) != BreakerState::kClosed) {
    if (ticks(now) < cooldownUntil_.load(kRelaxed)) return false;
    bool expected = false;
    if (!probing_.compare_exchange_strong(expected, true, kRelaxed)) return false;
    breaker_.store(static_cast<uint8_t>(BreakerState::kHalfOpen), kRelaxed);
  }
  inFlight_.fetch_add(1, kRelaxed);
  totalRequests_.fetch_add(1, kRelaxed);
  rollMinute(minuteOf(now));
  requestsThisMinute_.fetch_add(1, kRelaxed);
  return true;
}

void DeploymentState::releaseProbe(bool healthy, RouterClock::time_point now,
                                   const RouterSettings* settings) {
  if (!probing_.load(kRelaxed)) return;
  if (healthy) {
    failures_.store(0, kRelaxed);
    breaker_.store(static_cast<uint8_t>(BreakerState::kClosed), kRelaxed);
  } else if (settings) {
    cooldownUntil_.store(ticks(now) + ticksOf(settings->cooldownTime), kRelaxed);
    breaker_.store(static_cast<uint8_t>(BreakerState::kOpen), kRelaxed);
    trips_.fetch_add(1, kRelaxed);
  }
  probing_.store(false, kRelaxed);
}

void DeploymentState::succeeded(RouterClock::time_point now, std::chrono::microseconds latency,
                                std::chrono::microseconds ttft, bool stream) {
  inFlight_.fetch_sub(1, kRelaxed);
  blend(latencyUs_, latency.count());
  if (stream) blend(ttftUs_, ttft.count());
  releaseProbe(true, now, nullptr);
}

void DeploymentState::failed(RouterClock::time_point now, const Error& e,
                             const RouterSettings& settings, bool canCoolDown) {
  inFlight_.fetch_sub(1, kRelaxed);
  recordFailure(now, e, settings, canCoolDown);
}

void DeploymentState::healthChecked(RouterClock::time_point now, const Error* failure,
                                    const RouterSettings& settings, bool canCoolDown) {
  if (failure) {
    recordFailure(now, *failure, settings, canCoolDown);
    return;
  }
  failures_.store(0, kRelaxed);
  breaker_.store(static_cast<uint8_t>(BreakerState::kClosed), kRelaxed);
  cooldownUntil_.store(0, kRelaxed);
}

void DeploymentState::recordFailure(RouterClock::time_point now, const Error& e,
                                    const RouterSettings& settings, bool canCoolDown) {
  if (clientFault(e.cls)) {
    releaseProbe(true, now, nullptr);
    return;
  }
  totalFailures_.fetch_add(1, kRelaxed);
  lastErrorClass_.store(static_cast<uint8_t>(static_cast<int>(e.cls) + 1), kRelaxed);
  const int64_t n = ticks(now);
  if (!canCoolDown) {
    releaseProbe(true, now, nullptr);
    return;
  }
  if (e.cls == ErrorClass::kRateLimited && e.retryAfterSeconds > 0) {
    const int64_t seconds = std::min<int64_t>(e.retryAfterSeconds, kMaxRateLimitSeconds);
    rateLimitedUntil_.store(n + ticksOf(std::chrono::seconds(seconds)), kRelaxed);
  }
  if (!settings.cooldownsEnabled) {
    releaseProbe(true, now, nullptr);
    return;
  }
  if (probing_.load(kRelaxed)) {
    releaseProbe(false, now, &settings);
    return;
  }
  const int64_t minute = minuteOf(now);
  if (int64_t seen = failureMinute_.load(kRelaxed);
      seen != minute && failureMinute_.compare_exchange_strong(seen, minute, kRelaxed)) {
    failures_.store(0, kRelaxed);
  }
  if (failures_.fetch_add(1, kRelaxed) + 1 > settings.allowedFails) {
    failures_.store(0, kRelaxed);
    cooldownUntil_.store(n + ticksOf(settings.cooldownTime), kRelaxed);
    breaker_.store(static_cast<uint8_t>(BreakerState::kOpen), kRelaxed);
    trips_.fetch_add(1, kRelaxed);
  }
}

void DeploymentState::adoptCooldown(RouterClock::time_point until) {
  const int64_t u = ticks(until);
  int64_t current = cooldownUntil_.load(kRelaxed);
  while (u > current && !cooldownUntil_.compare_exchange_weak(current, u, kRelaxed)) {
  }
  if (u > current) breaker_.store(static_cast<uint8_t>(BreakerState::kOpen), kRelaxed);
}

void DeploymentState::setOthersRequests(RouterClock::time_point now, int64_t requests) {
  othersRequests_.store(requests, kRelaxed);
  othersMinute_.store(minuteOf(now), kRelaxed);
}

void DeploymentState::setOthersTokens(RouterClock::time_point now, int64_t tokens) {
  othersTokens_.store(tokens, kRelaxed);
  othersMinute_.store(minuteOf(now), kRelaxed);
}

void DeploymentState::abandoned() {
  inFlight_.fetch_sub(1, kRelaxed);
  // Nothing was learnt about the deployment; let the next request probe it.
  probing_.store(false, kRelaxed);
}

void DeploymentState::addTokens(RouterClock::time_point now, int64_t tokens) {
  if (tokens <= 0) return;
  rollMinute(minuteOf(now));
  tokensThisMinute_.fetch_add(tokens, kRelaxed);
}

std::string deploymentStateKey(const Deployment& d) {
  if (d.id == "*" || d.id.ends_with("/*")) return d.id;
  if (const auto* id = d.modelInfo.if_contains("id"); id && id->is_string()) {
    return "id:" + std::string(id->get_string());
  }
  // Credentials enter as a hash: compared, never kept in the key.
  std::string secrets = d.apiKey;
  for (const auto& map : {&d.extraHeaders, &d.providerParams}) {
    for (const auto& [name, value] : *map) secrets += "\n" + name + "=" + value;
  }
  return d.modelName + "|" + d.provider + "|" + d.apiBase.toString() + "|" + d.upstreamModel + "|" +
         d.apiVersion + "|" + std::to_string(std::hash<std::string>{}(secrets));
}

DeploymentState& deploymentState(const Deployment& d) { return *d.state; }

DeploymentState* DeploymentStates::operator[](size_t index) const {
  return snapshot_->deployments[index]->state.get();
}

void carryOverDeploymentStates(Snapshot& next, const Snapshot* previous) {
  std::map<std::string, std::shared_ptr<DeploymentState>, std::less<>> byKey;
  auto remember = [&byKey](const Deployment& d) { byKey.emplace(deploymentStateKey(d), d.state); };
  if (previous) {
    for (const auto& d : previous->deployments) remember(*d);
    for (const auto& w : previous->wildcards) remember(w.deploymentTemplate);
  }
  // Unknown upstreams keep the fresh state they were built with, and pass it to their twins.
  auto adopt = [&](const Deployment& d) -> std::shared_ptr<DeploymentState> {
    auto [it, added] = byKey.emplace(deploymentStateKey(d), d.state);
    return added || it->second == d.state ? nullptr : it->second;
  };
  for (auto& d : next.deployments) {
    if (auto state = adopt(*d)) {
      auto copy = std::make_shared<Deployment>(*d);
      copy->state = std::move(state);
      d = std::move(copy);
    }
  }
  for (auto& w : next.wildcards) {
    if (auto state = adopt(w.deploymentTemplate)) w.deploymentTemplate.state = std::move(state);
  }
}

namespace {

DeploymentHealth healthOf(const Deployment& d, const DeploymentState& st,
                          RouterClock::time_point now) {
  DeploymentHealth h;
  h.id = d.id;
  h.modelName = d.modelName;
  h.provider = d.provider;
  h.apiBaseHost = d.apiBase.host;
  h.breaker = st.breaker(now);
  if (h.breaker == BreakerState::kOpen) {
    h.cooldownRemainingSeconds = std::chrono::duration<double>(st.cooldownUntil() - now).count();
  }
  RouterClock::time_point until;
  h.rateLimited = st.check(d, now, until) == Unavailable::kRateLimited;
  h.inFlight = st.inFlight();
  h.requestsThisMinute = st.requestsThisMinute(now);
  h.tokensThisMinute = st.tokensThisMinute(now);
  h.recentFailures = st.recentFailures();
  h.totalRequests = st.totalRequests();
  h.totalFailures = st.totalFailures();
  h.latencyMs = st.latencyUs() < 0 ? -1 : static_cast<double>(st.latencyUs()) / 1000;
  h.ttftMs = st.ttftUs() < 0 ? -1 : static_cast<double>(st.ttftUs()) / 1000;
  h.lastError = std::string(st.lastError());
  return h;
}

}  // namespace

std::vector<DeploymentHealth> deploymentHealthSnapshot(const Snapshot& s) {
  std::vector<DeploymentHealth> out;
  const auto now = RouterClock::now();
  for (const auto& d : s.deployments) out.push_back(healthOf(*d, *d->state, now));
  for (const auto& w : s.wildcards) {
    Deployment d = w.deploymentTemplate;
    d.id = w.prefix.empty() ? "*" : w.prefix + "/*";
    d.modelName = d.id;
    out.push_back(healthOf(d, *d.state, now));
  }
  return out;
}

}  // namespace switchyard
