#pragma once
// The router's settings in typed form: LiteLLM's router_settings / litellm_settings keys for
// strategies, retries, fallbacks and cooldowns, plus Switchyard's own (switchyard_settings.router).
// Built once per config load; the data path reads only these, never the raw JSON.

#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace switchyard {

enum class RoutingStrategy {
  kSimpleShuffle,  // weighted random (weight, else rpm, else tpm)
  kLeastBusy,      // fewest requests in flight
  kUsageBased,     // fewest tokens used this minute (usage-based-routing and -v2)
  kLatencyBased,   // lowest moving average of latency (time to first token for streams)
  kCostBased,      // cheapest price per token
};

inline std::string_view routingStrategyName(RoutingStrategy s) {
  switch (s) {
    case RoutingStrategy::kSimpleShuffle:
      return "simple-shuffle";
    case RoutingStrategy::kLeastBusy:
      return "least-busy";
    case RoutingStrategy::kUsageBased:
      return "usage-based-routing-v2";
    case RoutingStrategy::kLatencyBased:
      return "latency-based-routing";
    case RoutingStrategy::kCostBased:
      return "cost-based-routing";
  }
  return "simple-shuffle";
}

inline constexpr size_t kErrorClassCount = static_cast<size_t>(ErrorClass::kInternal) + 1;

// Hedging for one model group: when the first attempt has not answered (first byte) after
// `delay`, a second deployment is raced and the slower of the two is cancelled.
struct HedgingPolicy {
  std::chrono::milliseconds delay{0};  // fixed delay; 0: derived from the latency estimate
  double latencyFactor = 2.0;          // with delay 0: hedge after factor × average latency
  std::chrono::milliseconds minDelay{50};
};

struct RouterSettings {
  RoutingStrategy strategy = RoutingStrategy::kSimpleShuffle;
  // Further attempts in a model group after every deployment of it was tried once; LiteLLM's
  // default when neither section sets it.
  int numRetries = 2;
  // retry_policy: per error class, overrides numRetries ("RateLimitErrorRetries: 3").
  std::array<std::optional<int>, kErrorClassCount> retriesByClass{};
  // model group → fallback groups in order; "*" is the entry for every group.
  std::map<std::string, std::vector<std::string>, std::less<>> fallbacks;
  std::map<std::string, std::vector<std::string>, std::less<>> contextWindowFallbacks;
  std::map<std::string, std::vector<std::string>, std::less<>> contentPolicyFallbacks;
  std::vector<std::string> defaultFallbacks;
  // enable_pre_call_checks: deployments whose context window the request's input cannot fit are
  // skipped before any call (routing/context_check.hpp).
  bool preCallChecks = false;
  // switchyard_settings.transforms: [middle-out]: OpenRouter's middle-out for every request that
  // does not say otherwise (a request's own `transforms` wins, [] turns it off).
  bool middleOutByDefault = false;
  // Whether the request's input is counted against the deployments' context windows: with the
  // pre-call checks, or with context_window_fallbacks to go to before a wasted call.
  bool checksContextWindow() const { return preCallChecks || !contextWindowFallbacks.empty(); }
  int maxFallbacks = 5;
  // Circuit breaker: a deployment failing more than allowedFails times within a minute is
  // skipped for cooldownTime, then probed by one request (half-open).
  int allowedFails = 3;
  std::chrono::milliseconds cooldownTime{5'000};
  bool cooldownsEnabled = true;  // disable_cooldowns: false
  // Backoff between retries: min(backoffMax, backoffBase × 2^n) with jitter, never below
  // router_settings.retry_after nor an upstream's Retry-After.
  std::chrono::milliseconds retryAfterMin{0};
  std::chrono::milliseconds backoffBase{100};
  std::chrono::milliseconds backoffMax{5'000};
  // A Retry-After longer than this is not waited for: the next deployment or fallback is tried.
  std::chrono::milliseconds maxRetryWait{10'000};
  // Streams: the first content must arrive within this (0: only stream_timeout applies).
  std::chrono::milliseconds streamTtftTimeout{0};
  // The whole request, every attempt and wait included (0: no overall bound).
  std::chrono::milliseconds totalTimeout{0};
  std::map<std::string, HedgingPolicy, std::less<>> hedging;  // by model group
  // router_settings.model_group_alias: another name clients may use for a group; a hidden one is
  // left out of /v1/models.
  struct GroupAlias {
    std::string group;
    bool hidden = false;
  };
  std::map<std::string, GroupAlias, std::less<>> groupAliases;
  // The group a requested model name means: an alias's group, else the name itself.
  std::string_view groupFor(std::string_view model) const {
    const auto it = groupAliases.find(model);
    return it == groupAliases.end() ? model : std::string_view(it->second.group);
  }
  // general_settings.background_health_checks / health_check_interval (LiteLLM's names).
  bool backgroundHealthChecks = false;
  std::chrono::milliseconds healthCheckInterval{300'000};

  // How many further attempts an error of this class allows after a full pass.
  int retriesFor(ErrorClass cls) const {
    const auto& v = retriesByClass[static_cast<size_t>(cls)];
    return v ? *v : numRetries;
  }
};

}  // namespace switchyard
