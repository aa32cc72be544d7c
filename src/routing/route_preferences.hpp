#pragma once
// A request's own routing choices, OpenRouter style: the body's `models` fallback list and its
// `provider` object. Parsed (and removed from the body) by api/openai/routing_preferences.

#include <optional>
#include <string>
#include <vector>

#include "config/router_settings.hpp"

namespace switchyard {

struct ProviderPreferences {
  // Provider names ("azure") or deployment ids ("gpt-4o#1"): tried first, in this order.
  std::vector<std::string> order;
  std::vector<std::string> only;        // non-empty: nothing else may serve
  std::vector<std::string> ignore;      // never these
  bool allowFallbacks = true;           // false: the first choice only, no other deployment
  std::optional<RoutingStrategy> sort;  // price, latency or throughput instead of the strategy
  // USD per million tokens; deployments with a known higher price are skipped.
  std::optional<double> maxPromptPrice;
  std::optional<double> maxCompletionPrice;
};

struct RoutePreferences {
  std::vector<std::string> models;  // fallback model groups after the requested one
  ProviderPreferences provider;
  bool any = false;  // the request set models or provider
  // transforms: ["middle-out"] (true) or [] (false); unset: the config's default.
  std::optional<bool> middleOut;
};

}  // namespace switchyard
