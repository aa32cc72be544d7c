#include "api/routing_preferences.hpp"

#include "api/json_kind.hpp"

namespace switchyard {

namespace {

namespace json = boost::json;

constexpr size_t kMaxListLength = 32;

Error invalid(std::string_view field, std::string_view expected, const json::value& v) {
  return Error::make(ErrorClass::kBadRequest,
                     "Invalid value for '" + std::string(field) + "': expected " +
                         std::string(expected) + ", but got " + std::string(jsonKindName(v)) +
                         " instead.",
                     std::string(field), "invalid_type");
}

Result<std::vector<std::string>> stringList(std::string_view field, const json::value& v) {
  std::vector<std::string> out;
  if (v.is_null()) return out;
  if (!v.is_array() || v.get_array().size() > kMaxListLength) {
    return invalid(field, "an array of at most 32 strings", v);
  }
  for (const auto& item : v.get_array()) {
    if (!item.is_string() || item.get_string().empty()) {
      return invalid(field, "an array of non-empty strings", item);
    }
    out.emplace_back(item.get_string());
  }
  return out;
}

Result<std::optional<double>> price(std::string_view field, const json::object& maxPrice) {
  const auto* v = maxPrice.if_contains(field.substr(field.rfind('.') + 1));
  if (!v || v->is_null()) return std::optional<double>();
  if (!v->is_number() || v->to_number<double>() < 0) {
    return invalid(field, "a number of USD per million tokens, at least 0", *v);
  }
  return std::optional<double>(v->to_number<double>());
}

Result<void> readProvider(const json::value& v, ProviderPreferences& p) {
  if (v.is_null()) return {};
  if (!v.is_object()) return invalid("provider", "an object", v);
  const auto& o = v.get_object();
  struct ListField {
    std::string_view name;
    std::vector<std::string>* out;
  };
  const ListField lists[] = {{"order", &p.order}, {"only", &p.only}, {"ignore", &p.ignore}};
  for (const auto& [name, out] : lists) {
    if (const auto* item = o.if_contains(name)) {
      auto list = stringList("provider." + std::string(name), *item);
      if (!list) return list.error();
      *out = std::move(*list);
    }
  }
  if (const auto* item = o.if_contains("allow_fallbacks"); item && !item->is_null()) {
    if (!item->is_bool()) return invalid("provider.allow_fallbacks", "a boolean", *item);
    p.allowFallbacks = item->get_bool();
  }
  if (const auto* item = o.if_contains("sort"); item && !item->is_null()) {
    const auto* s = item->if_string();
    if (s && *s == "price") {
      p.sort = RoutingStrategy::kCostBased;
    } else if (s && (*s == "latency" || *s == "throughput")) {
      p.sort = RoutingStrategy::kLatencyBased;
    } else {
      return invalid("provider.sort", "\"price\", \"latency\" or \"throughput\"", *item);
    }
  }
  if (const auto* item = o.if_contains("max_price"); item && !item->is_null()) {
    if (!item->is_object()) return invalid("provider.max_price", "an object", *item);
    auto prompt = price("provider.max_price.prompt", item->get_object());
    if (!prompt) return prompt.error();
    auto completion = price("provider.max_price.completion", item->get_object());
    if (!completion) return completion.error();
    p.maxPromptPrice = *prompt;
    p.maxCompletionPrice = *completion;
  }
  // OpenRouter's other provider fields (data_collection, quantizations, ...) concern its own
  // marketplace; they are dropped with the object.
  return {};
}

}  // namespace

Result<RoutePreferences> takeRoutePreferences(json::object& body) {
  RoutePreferences prefs;
  if (const auto* models = body.if_contains("models")) {
    auto list = stringList("models", *models);
    if (!list) return list.error();
    prefs.models = std::move(*list);
    prefs.any = true;
    body.erase("models");
  }
  if (const auto* provider = body.if_contains("provider")) {
    if (auto ok = readProvider(*provider, prefs.provider); !ok) return ok.error();
    prefs.any = true;
    body.erase("provider");
  }
  if (const auto* transforms = body.if_contains("transforms")) {
    auto list = stringList("transforms", *transforms);
    if (!list) return list.error();
    if (!transforms->is_null()) prefs.middleOut = false;
    for (const auto& name : *list) {
      if (name != "middle-out") {
        return Error::make(ErrorClass::kBadRequest,
                           "Invalid value for 'transforms': unknown transform '" + name +
                               "' (the one there is: middle-out).",
                           "transforms", "invalid_value");
      }
      prefs.middleOut = true;
    }
    body.erase("transforms");
  }
  return prefs;
}

Result<RoutePreferences> takeRoutePreferences(ApiRequest& request) {
  if (!request.has("models") && !request.has("provider") && !request.has("transforms")) {
    return RoutePreferences{};
  }
  // A client's own text that is sent leaves these members out (ClientText::cut): it still says
  // what the body says.
  ClientText kept = std::move(request.clientText);
  auto prefs = takeRoutePreferences(request.editBody());
  request.clientText = std::move(kept);
  return prefs;
}

}  // namespace switchyard
