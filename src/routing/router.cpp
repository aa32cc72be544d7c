#include "routing/router.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "routing/context_check.hpp"

namespace switchyard {

namespace {

// Why `model` was left out of the config at load, when it was (config/model_list.cpp).
const std::string* disabledReason(const Snapshot& snapshot, std::string_view model) {
  if (auto it = snapshot.disabledModels.find(model); it != snapshot.disabledModels.end()) {
    return &it->second;
  }
  for (const auto& [name, why] : snapshot.disabledModels) {
    if (name == "*" || (name.ends_with("/*") &&
                        model.starts_with(std::string_view(name).substr(0, name.size() - 1)))) {
      return &why;
    }
  }
  return nullptr;
}

Error unknownModel(const Snapshot& snapshot, std::string_view model) {
  if (const std::string* why = disabledReason(snapshot, model)) {
    return Error::make(ErrorClass::kBadRequest,
                       "The model '" + std::string(model) +
                           "' is configured but cannot be served: its deployment was disabled "
                           "when the config was loaded (" +
                           *why + ").",
                       "model", "model_disabled");
  }
  std::string names;
  for (const auto& n : snapshot.modelNames()) {
    if (!names.empty()) names += ", ";
    names += n;
  }
  return Error::make(ErrorClass::kNotFound,
                     "The model '" + std::string(model) +
                         "' does not exist on this gateway. Available models: " +
                         (names.empty() ? std::string("(none configured)") : names) + ".",
                     "model", "model_not_found");
}

// Uniform in (0, 1] from 53 random bits: cheaper than a distribution object.
double unit(FastRandom& rng) {
  return (static_cast<double>(rng() >> 11) + 1.0) * (1.0 / 9007199254740992.0);
}

bool named(const std::vector<std::string>& names, const Deployment& d) {
  return std::any_of(names.begin(), names.end(),
                     [&](const std::string& n) { return n == d.provider || n == d.id; });
}

// Position in the request's provider.order; unlisted deployments come after the listed ones.
int64_t preferredRank(const ProviderPreferences* p, const Deployment& d) {
  if (!p || p->order.empty()) return 0;
  for (size_t i = 0; i < p->order.size(); ++i) {
    if (p->order[i] == d.provider || p->order[i] == d.id) return static_cast<int64_t>(i);
  }
  return static_cast<int64_t>(p->order.size());
}

bool allowed(const ProviderPreferences* p, const Deployment& d) {
  if (!p) return true;
  if (!p->only.empty() && !named(p->only, d)) return false;
  if (named(p->ignore, d)) return false;
  // Prices are per token here and per million tokens in the request; unknown prices pass.
  if (p->maxPromptPrice && d.inputCostPerToken && *d.inputCostPerToken * 1e6 > *p->maxPromptPrice) {
    return false;
  }
  if (p->maxCompletionPrice && d.outputCostPerToken &&
      *d.outputCostPerToken * 1e6 > *p->maxCompletionPrice) {
    return false;
  }
  return true;
}

// simple-shuffle's weight: `weight` when any deployment of the group sets one, else rpm, else
// tpm (LiteLLM's order); deployments without the chosen field get the group's mean.
struct ShuffleWeights {
  enum class By { kWeight, kRpm, kTpm, kEqual } by = By::kEqual;
  double mean = 1.0;

  static ShuffleWeights of(const Snapshot& s, const std::vector<size_t>& group) {
    ShuffleWeights w;
    auto scan = [&](By by, auto field) {
      double sum = 0;
      int n = 0;
      for (size_t i : group) {
        if (auto v = field(*s.deployments[i])) {
          sum += *v;
          ++n;
        }
      }
      if (n == 0) return false;
      w.by = by;
      w.mean = sum / n;
      return true;
    };
    auto weight = [](const Deployment& d) {
      return d.weight != 1.0 ? std::optional<double>(d.weight) : std::nullopt;
    };
    auto rpm = [](const Deployment& d) {
      return d.rpm ? std::optional<double>(static_cast<double>(*d.rpm)) : std::nullopt;
    };
    auto tpm = [](const Deployment& d) {
      return d.tpm ? std::optional<double>(static_cast<double>(*d.tpm)) : std::nullopt;
    };
    if (!scan(By::kWeight, weight) && !scan(By::kRpm, rpm)) scan(By::kTpm, tpm);
    return w;
  }

  double of(const Deployment& d) const {
    switch (by) {
      case By::kWeight:
        return d.weight;
      case By::kRpm:
        return d.rpm ? static_cast<double>(*d.rpm) : mean;
      case By::kTpm:
        return d.tpm ? static_cast<double>(*d.tpm) : mean;
      case By::kEqual:
        break;
    }
    return 1.0;
  }
};

// Lower is better. Random terms break ties so equal deployments share the load.
double strategyKey(RoutingStrategy strategy, const Deployment& d, const DeploymentState& st,
                   const ShuffleWeights& weights, bool stream, RouterClock::time_point now,
                   FastRandom& rng) {
  const double u = unit(rng);
  switch (strategy) {
    case RoutingStrategy::kSimpleShuffle: {
      // Efraimidis-Spirakis: ordering by -ln(u)/w is a weighted draw without replacement.
      const double w = weights.of(d);
      return w > 0 ? -std::log(u) / w : std::numeric_limits<double>::max();
    }
    case RoutingStrategy::kLeastBusy:
      return st.inFlight() + u * 0.5;
    case RoutingStrategy::kUsageBased:
      return static_cast<double>(st.tokensThisMinute(now)) + u * 0.5;
    case RoutingStrategy::kLatencyBased: {
      int64_t us = stream && st.ttftUs() >= 0 ? st.ttftUs() : st.latencyUs();
      // No sample yet: try it, so that every deployment gets measured. Within 10% counts as
      // equal, so near-identical deployments share the load instead of one taking it all.
      if (us < 0) us = 0;
      return static_cast<double>(us) * (1.0 + 0.1 * u);
    }
    case RoutingStrategy::kCostBased: {
      if (!d.inputCostPerToken && !d.outputCostPerToken) return 1e12 + u;  // unknown: last
      return d.inputCostPerToken.value_or(0) + d.outputCostPerToken.value_or(0) + u * 1e-15;
    }
  }
  return u;
}

struct Ranked {
  int64_t preferred;
  int64_t order;
  double key;
  uint32_t index;
};

Result<Selection> wildcardSelection(const Snapshot& snapshot, std::string_view model) {
  for (const auto& route : snapshot.wildcards) {
    std::string_view upstream;
    if (route.prefix == "*" || route.prefix.empty()) {
      upstream = model;
    } else if (model.size() > route.prefix.size() + 1 && model.starts_with(route.prefix) &&
               model[route.prefix.size()] == '/') {
      upstream = model.substr(route.prefix.size() + 1);
    } else {
      continue;
    }
    auto d = std::make_shared<Deployment>(route.deploymentTemplate);
    d->modelName = std::string(model);
    d->upstreamModel = std::string(upstream);
    d->id = route.prefix.empty() ? "*" : route.prefix + "/*";
    Selection s;
    s.wildcard = std::move(d);
    s.count = 1;
    return s;
  }
  return unknownModel(snapshot, model);
}

}  // namespace

Result<Selection> selectDeployments(const std::shared_ptr<const Snapshot>& snapshot,
                                    std::string_view model, FastRandom& rng,
                                    RouterClock::time_point now, const RouteQuery& query) {
  const Snapshot& snap = *snapshot;
  const auto it = snap.groups.find(model);
  if (it == snap.groups.end()) {
    auto wild = wildcardSelection(snap, model);
    if (wild && query.context && !query.context->fits(*wild->wildcard, false)) {
      wild->wildcard.reset();
      wild->count = 0;
      wild->tooLong = 1;
    }
    return wild;
  }

  const auto& states = deploymentStates(snapshot);
  const auto* prefs = query.preferences;
  const RoutingStrategy strategy = prefs && prefs->sort ? *prefs->sort : snap.router.strategy;
  const ShuffleWeights weights = strategy == RoutingStrategy::kSimpleShuffle
                                     ? ShuffleWeights::of(snap, it->second)
                                     : ShuffleWeights{};
  std::array<Ranked, kMaxCandidates> ranked;
  Selection s;
  for (size_t i : it->second) {
    if (s.count + s.skipped == kMaxCandidates) break;
    const Deployment& d = *snap.deployments[i];
    if (!allowed(prefs, d)) continue;
    if (query.context && !query.context->fits(d)) {
      ++s.tooLong;
      continue;
    }
    const DeploymentState& st = *states[i];
    RouterClock::time_point until;
    if (const Unavailable why = st.check(d, now, until); why != Unavailable::kNo) {
      ++s.skipped;
      s.freeAt = std::min(s.freeAt, until);
      if (why != Unavailable::kCoolingDown && why != Unavailable::kProbing && until < s.soonest) {
        s.soonest = until;
        s.soonestIndex = static_cast<int64_t>(i);
      }
      continue;
    }
    ranked[s.count++] = Ranked{
        preferredRank(prefs, d), d.order.value_or(std::numeric_limits<int64_t>::max()),
        strategyKey(strategy, d, st, weights, query.stream, now, rng), static_cast<uint32_t>(i)};
  }
  std::sort(ranked.begin(), ranked.begin() + s.count, [](const Ranked& a, const Ranked& b) {
    if (a.preferred != b.preferred) return a.preferred < b.preferred;
    if (a.order != b.order) return a.order < b.order;
    return a.key < b.key;
  });
  for (uint32_t k = 0; k < s.count; ++k) s.order[k] = ranked[k].index;
  return s;
}

Error noDeploymentAvailable(std::string_view group, const Selection& selection,
                            RouterClock::time_point now) {
  if (selection.skipped == 0) {
    // Nothing was skipped for its state: the request's provider preferences excluded them all.
    return Error::make(ErrorClass::kNotFound,
                       "No deployment of '" + std::string(group) +
                           "' matches the request's provider preferences (only, ignore, "
                           "max_price).",
                       "provider", "no_deployment_matches");
  }
  Error e = Error::make(ErrorClass::kRateLimited,
                        "No deployment of '" + std::string(group) +
                            "' can take the request now: every one is cooling down after "
                            "failures or at its rpm/tpm/parallel-request limit.",
                        {}, "no_deployment_available");
  if (selection.freeAt != RouterClock::time_point::max()) {
    const auto wait = std::chrono::duration_cast<std::chrono::seconds>(
        selection.freeAt - now + std::chrono::milliseconds(999));
    e.retryAfterSeconds = static_cast<int>(std::max<int64_t>(1, wait.count()));
  } else {
    e.retryAfterSeconds = 1;
  }
  return e;
}

}  // namespace switchyard
