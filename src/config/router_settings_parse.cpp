// Snapshot::router from router_settings / litellm_settings (LiteLLM's keys, already type-checked
// and normalised by settings.cpp) and from switchyard_settings.router (Switchyard's own keys,
// kept out of router_settings because LiteLLM passes that section to its Router as arguments).

#include <algorithm>
#include <array>

#include "config/sections.hpp"

namespace switchyard::config_detail {

namespace {

using GroupMap = std::map<std::string, std::vector<std::string>, std::less<>>;

struct StrategyName {
  std::string_view name;
  RoutingStrategy strategy;
};
constexpr StrategyName kStrategies[] = {
    {"simple-shuffle", RoutingStrategy::kSimpleShuffle},
    {"least-busy", RoutingStrategy::kLeastBusy},
    {"usage-based-routing", RoutingStrategy::kUsageBased},
    {"usage-based-routing-v2", RoutingStrategy::kUsageBased},
    {"latency-based-routing", RoutingStrategy::kLatencyBased},
    {"cost-based-routing", RoutingStrategy::kCostBased},
};

// LiteLLM's RetryPolicy fields and the error classes each covers.
struct RetryPolicyKey {
  std::string_view name;
  std::array<ErrorClass, 3> classes;
  size_t count;
};
constexpr RetryPolicyKey kRetryPolicyKeys[] = {
    {"BadRequestErrorRetries", {ErrorClass::kBadRequest}, 1},
    {"AuthenticationErrorRetries", {ErrorClass::kUnauthorized, ErrorClass::kForbidden}, 2},
    {"TimeoutErrorRetries", {ErrorClass::kTimeout}, 1},
    {"RateLimitErrorRetries", {ErrorClass::kRateLimited}, 1},
    {"ContentPolicyViolationErrorRetries", {ErrorClass::kContentPolicy}, 1},
    {"InternalServerErrorRetries",
     {ErrorClass::kUpstreamServer, ErrorClass::kBadUpstream, ErrorClass::kConnectFailed},
     3},
};

std::chrono::milliseconds secondsToMs(double s) {
  return std::chrono::milliseconds(static_cast<int64_t>(s * 1000 + 0.5));
}

// The normalised JSON of a fallback list ([{group: [targets]} or {group: target}]) as a map;
// shapes were checked when the section was read.
GroupMap groupMap(const boost::json::value* v) {
  GroupMap out;
  if (!v || !v->is_array()) return out;
  for (const auto& item : v->get_array()) {
    if (!item.is_object()) continue;
    for (const auto& [group, targets] : item.get_object()) {
      auto& list = out[std::string(group)];
      if (targets.is_string()) list.emplace_back(targets.get_string());
      if (!targets.is_array()) continue;
      for (const auto& t : targets.get_array()) {
        if (t.is_string()) list.emplace_back(t.get_string());
      }
    }
  }
  return out;
}

void readRetryPolicy(const boost::json::value& v, RouterSettings& r, ParseContext& ctx) {
  const std::string path = "router_settings.retry_policy";
  if (!v.is_object()) return;
  for (const auto& [key, value] : v.get_object()) {
    const auto p = childPath(path, key);
    const auto* known = std::find_if(std::begin(kRetryPolicyKeys), std::end(kRetryPolicyKeys),
                                     [&](const auto& k) { return k.name == key; });
    if (known == std::end(kRetryPolicyKeys)) {
      ctx.error(p,
                "unknown retry policy key (known: BadRequestErrorRetries, "
                "AuthenticationErrorRetries, TimeoutErrorRetries, RateLimitErrorRetries, "
                "ContentPolicyViolationErrorRetries, InternalServerErrorRetries)");
      continue;
    }
    if (!value.is_int64() || value.get_int64() < 0 || value.get_int64() > 100) {
      ctx.error(p, "expected a whole number of retries from 0 to 100");
      continue;
    }
    for (size_t i = 0; i < known->count; ++i) {
      r.retriesByClass[static_cast<size_t>(known->classes[i])] =
          static_cast<int>(value.get_int64());
    }
  }
}

void readHedging(const YAML::Node& node, const std::string& path, RouterSettings& r,
                 ParseContext& ctx) {
  if (isNull(node)) return;
  if (!node.IsMap()) {
    ctx.error(path, "expected a mapping from model group to {delay, latency_factor}");
    return;
  }
  for (auto& [group, spec] : mapEntries(node, path, ctx)) {
    const auto gp = childPath(path, group);
    HedgingPolicy policy;
    if (!isNull(spec) && !spec.IsMap()) {
      ctx.error(gp, "expected a mapping with delay and/or latency_factor");
      continue;
    }
    if (!isNull(spec)) {
      for (auto& [key, value] : mapEntries(spec, gp, ctx)) {
        const auto kp = childPath(gp, key);
        if (key == "delay") {
          if (auto t = readSeconds(value, kp, ctx, true)) policy.delay = *t;
        } else if (key == "latency_factor") {
          if (auto f = readNumber(value, kp, ctx, 1.0, 100.0)) policy.latencyFactor = *f;
        } else if (key == "min_delay") {
          if (auto t = readSeconds(value, kp, ctx, true)) policy.minDelay = *t;
        } else {
          ctx.warn(kp, std::string(kUnknownKey));
        }
      }
    }
    r.hedging[group] = policy;
  }
}

}  // namespace

void parseSwitchyardRouter(const YAML::Node& node, const std::string& path, Snapshot& snap,
                           ParseContext& ctx) {
  if (isNull(node)) return;
  if (!node.IsMap()) {
    ctx.error(path, "expected a mapping of routing settings");
    return;
  }
  auto& r = snap.router;
  for (auto& [key, value] : mapEntries(node, path, ctx)) {
    const auto p = childPath(path, key);
    if (key == "stream_ttft_timeout") {
      if (auto t = readSeconds(value, p, ctx)) r.streamTtftTimeout = *t;
    } else if (key == "total_timeout") {
      if (auto t = readSeconds(value, p, ctx)) r.totalTimeout = *t;
    } else if (key == "backoff_base") {
      if (auto t = readSeconds(value, p, ctx, true)) r.backoffBase = *t;
    } else if (key == "backoff_max") {
      if (auto t = readSeconds(value, p, ctx, true)) r.backoffMax = *t;
    } else if (key == "max_retry_wait") {
      if (auto t = readSeconds(value, p, ctx, true)) r.maxRetryWait = *t;
    } else if (key == "hedging") {
      readHedging(value, p, r, ctx);
    } else {
      ctx.warn(p, std::string(kUnknownKey));
    }
  }
}

void buildRouterSettings(Snapshot& snap, ParseContext& ctx) {
  auto& r = snap.router;
  const auto& rs = snap.routerSettings;
  if (const auto* v = rs.if_contains("routing_strategy"); v && v->is_string()) {
    for (const auto& s : kStrategies) {
      if (s.name == v->get_string()) r.strategy = s.strategy;
    }
  }
  // router_settings wins over litellm_settings, as LiteLLM's Router arguments do.
  const auto* retries = rs.if_contains("num_retries");
  if (!retries) retries = snap.litellmSettings.if_contains("num_retries");
  if (retries && retries->is_int64()) r.numRetries = static_cast<int>(retries->get_int64());
  if (const auto* v = rs.if_contains("retry_policy")) readRetryPolicy(*v, r, ctx);
  if (const auto* v = rs.if_contains("max_fallbacks"); v && v->is_int64()) {
    r.maxFallbacks = static_cast<int>(v->get_int64());
  }
  if (const auto* v = rs.if_contains("allowed_fails"); v && v->is_int64()) {
    r.allowedFails = static_cast<int>(v->get_int64());
  }
  if (const auto* v = rs.if_contains("cooldown_time"); v && v->is_number()) {
    r.cooldownTime = secondsToMs(v->to_number<double>());
  }
  if (const auto* v = rs.if_contains("disable_cooldowns"); v && v->is_bool()) {
    r.cooldownsEnabled = !v->get_bool();
  }
  if (r.cooldownTime.count() == 0) r.cooldownsEnabled = false;
  if (const auto* v = rs.if_contains("retry_after"); v && v->is_number()) {
    r.retryAfterMin = secondsToMs(v->to_number<double>());
  }
  if (const auto* v = rs.if_contains("model_group_alias"); v && v->is_object()) {
    // The shape was checked when router_settings was read.
    for (const auto& [alias, target] : v->get_object()) {
      RouterSettings::GroupAlias a;
      if (target.is_string()) a.group = target.get_string();
      if (const auto* o = target.if_object()) {
        if (const auto* m = o->if_contains("model"); m && m->is_string()) a.group = m->get_string();
        if (const auto* h = o->if_contains("hidden"); h && h->is_bool()) a.hidden = h->get_bool();
      }
      // A name that is a group itself stays that group, as LiteLLM resolves them.
      if (!a.group.empty() && !snap.groups.contains(alias)) r.groupAliases[alias] = std::move(a);
    }
  }
  r.fallbacks = groupMap(rs.if_contains("fallbacks"));
  r.contextWindowFallbacks = groupMap(rs.if_contains("context_window_fallbacks"));
  r.contentPolicyFallbacks = groupMap(rs.if_contains("content_policy_fallbacks"));
  if (const auto* v = rs.if_contains("enable_pre_call_checks"); v && v->is_bool()) {
    r.preCallChecks = v->get_bool();
  }
  if (const auto* v = rs.if_contains("default_fallbacks"); v && v->is_array()) {
    for (const auto& g : v->get_array()) {
      if (g.is_string()) r.defaultFallbacks.emplace_back(g.get_string());
    }
  }
  if (r.backoffMax < r.backoffBase) {
    ctx.error("switchyard_settings.router.backoff_max", "must not be below backoff_base");
  }
  for (const auto& [group, policy] : r.hedging) {
    if (!snap.groups.contains(group)) {
      ctx.warn(childPath("switchyard_settings.router.hedging", group),
               "'" + group + "' is not a model group in model_list");
    }
  }
}

}  // namespace switchyard::config_detail
