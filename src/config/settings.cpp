// router_settings, litellm_settings, general_settings and switchyard_settings.

#include <algorithm>
#include <array>
#include <boost/json/array.hpp>

#include "config/sections.hpp"

namespace switchyard::config_detail {

namespace {

template <size_t N>
bool contains(const std::array<std::string_view, N>& set, std::string_view key) {
  return std::find(set.begin(), set.end(), key) != set.end();
}

// Null sections are allowed (a key with nothing under it); anything but a mapping is an error.
bool isSection(const YAML::Node& node, const std::string& path, ParseContext& ctx) {
  if (isNull(node)) return false;
  if (!node.IsMap()) {
    ctx.error(path, "expected a mapping of settings");
    return false;
  }
  return true;
}

double toSeconds(std::chrono::milliseconds ms) { return static_cast<double>(ms.count()) / 1000; }

// fallbacks: [{"gpt-4o": ["gpt-4o-mini", "claude"]}, ...]; LiteLLM also takes one string.
// default_fallbacks is a plain list of groups tried for every model.
void checkFallbackShape(std::string_view key, const YAML::Node& node, const std::string& path,
                        ParseContext& ctx) {
  if (isNull(node)) return;
  if (key == "default_fallbacks") {
    if (!node.IsSequence()) {
      ctx.error(path, "expected a list of model group names");
      return;
    }
    for (size_t i = 0; i < node.size(); ++i) {
      if (!node[i].IsScalar() || isNull(node[i])) {
        ctx.error(indexPath(path, i), "expected a model group name");
      }
    }
    return;
  }
  if (!node.IsSequence()) {
    ctx.error(path, "expected a list like [{\"model-group\": [\"fallback-group\"]}]");
    return;
  }
  for (size_t i = 0; i < node.size(); ++i) {
    const auto item = node[i];
    const auto itemPath = indexPath(path, i);
    if (!item.IsMap()) {
      ctx.error(itemPath, "expected a mapping from a model group to its fallback groups");
      continue;
    }
    for (auto& [group, targets] : mapEntries(item, itemPath, ctx)) {
      const auto targetPath = childPath(itemPath, group);
      if (targets.IsScalar() && !isNull(targets)) continue;
      if (!targets.IsSequence()) {
        ctx.error(targetPath, "expected a list of model group names");
        continue;
      }
      for (size_t j = 0; j < targets.size(); ++j) {
        if (!targets[j].IsScalar() || isNull(targets[j])) {
          ctx.error(indexPath(targetPath, j), "expected a model group name");
        }
      }
    }
  }
}

void checkModelGroupAlias(const YAML::Node& node, const std::string& path, ParseContext& ctx) {
  if (isNull(node)) return;
  if (!node.IsMap()) {
    ctx.error(path, "expected a mapping from alias to model group");
    return;
  }
  for (auto& [alias, target] : mapEntries(node, path, ctx)) {
    const auto aliasPath = childPath(path, alias);
    if (target.IsScalar() && !isNull(target)) continue;
    // LiteLLM's long form: {model: "gpt-4o", hidden: true}.
    if (target.IsMap() && target["model"].IsDefined() && target["model"].IsScalar()) continue;
    ctx.error(aliasPath, "expected a model group name or {model: <group>, hidden: <bool>}");
  }
}

constexpr std::array<std::string_view, 6> kRoutingStrategies = {
    "simple-shuffle",        "least-busy",        "usage-based-routing", "usage-based-routing-v2",
    "latency-based-routing", "cost-based-routing"};

constexpr std::array<std::string_view, 4> kFallbackKeys = {
    "fallbacks", "context_window_fallbacks", "content_policy_fallbacks", "default_fallbacks"};

// LiteLLM router settings Switchyard does not implement (yet); everything else is unknown.
constexpr std::array<std::string_view, 15> kRouterNotSupported = {"routing_strategy_args",
                                                                  "allowed_fails_policy",
                                                                  "cache_responses",
                                                                  "cache_kwargs",
                                                                  "provider_budget_config",
                                                                  "model_group_retry_policy",
                                                                  "default_litellm_params",
                                                                  "optional_pre_call_checks",
                                                                  "enable_tag_filtering",
                                                                  "default_priority",
                                                                  "polling_interval",
                                                                  "set_verbose",
                                                                  "debug_level",
                                                                  "client_ttl",
                                                                  "default_max_parallel_requests"};

constexpr std::array<std::string_view, 6> kLitellmCallbacks = {
    "success_callback", "failure_callback",    "callbacks",
    "service_callback", "audit_log_callbacks", "input_callback"};

constexpr std::array<std::string_view, 22> kLitellmNotSupported = {
    "turn_off_message_logging",
    "redact_user_api_key_info",
    "redact_messages_in_exceptions",
    "modify_params",
    "default_team_settings",
    "max_budget",
    "budget_duration",
    "telemetry",
    "enable_json_schema_validation",
    "force_ipv4",
    "return_response_headers",
    "ssl_verify",
    "enable_preview_features",
    "max_internal_user_budget",
    "internal_user_budget_duration",
    "upperbound_key_generate_params",
    "default_key_generate_params",
    "key_generation_settings",
    "default_internal_user_params",
    "langfuse_default_tags",
    "callback_settings",
    "disable_add_transform_inline_image_block"};

constexpr std::array<std::string_view, 29> kGeneralNotSupported = {
    "alerting",
    "alerting_threshold",
    "alert_types",
    "alert_to_webhook_url",
    "alerting_args",
    "database_connection_pool_limit",
    "database_connection_timeout",
    "disable_error_logs",
    "store_model_in_db",
    "proxy_batch_write_at",
    "allow_requests_on_db_unavailable",
    "health_check_details",
    "infer_model_from_keys",
    "custom_auth",
    "allowed_routes",
    "admin_only_routes",
    "public_routes",
    "enforce_user_param",
    "max_response_size_mb",
    "pass_through_endpoints",
    "ui_access_mode",
    "litellm_key_header_name",
    "disable_master_key_return",
    "enable_jwt_auth",
    "litellm_jwtauth",
    "max_parallel_requests",
    "global_max_parallel_requests",
    "use_redis_transaction_buffer",
    "disable_reset_budget"};

// "otel" (traces) and "prometheus" (metrics, always on) are served; other callbacks are not.
void warnUnsupportedCallbacks(const boost::json::value& v, const std::string& p,
                              ParseContext& ctx) {
  auto supported = [](const boost::json::value& item) {
    return item.is_string() && (item.get_string() == "otel" || item.get_string() == "prometheus");
  };
  bool ok = supported(v);
  if (v.is_array()) ok = std::all_of(v.get_array().begin(), v.get_array().end(), supported);
  if (!ok)
    ctx.warn(p, "callbacks other than \"otel\" and \"prometheus\" are not supported yet: ignored");
}

}  // namespace

void applyProvider(Deployment& d, const ProviderInfo& info) {
  d.provider = std::string(info.prefix);
  d.format = info.format;
  d.streamUsage = info.acceptsStreamOptions;
}

std::chrono::milliseconds inheritedStreamTimeout(const ServerSettings& s,
                                                 std::chrono::milliseconds timeout) {
  return s.defaultStreamTimeout.value_or(timeout);
}

namespace {

// OpenRouter's transforms as a default for every request; middle-out is the one there is.
void parseTransforms(const YAML::Node& value, const std::string& path, Snapshot& snap,
                     ParseContext& ctx) {
  if (isNull(value)) return;
  if (!value.IsSequence()) {
    ctx.error(path, "expected a list of transforms, like [middle-out]");
    return;
  }
  for (size_t i = 0; i < value.size(); ++i) {
    const auto p = indexPath(path, i);
    auto name = readString(value[i], p, ctx);
    if (!name) continue;
    if (*name == "middle-out") {
      snap.router.middleOutByDefault = true;
    } else {
      ctx.error(p, "unknown transform '" + *name + "' (the one there is: middle-out)");
    }
  }
}

}  // namespace

void parseSwitchyardSettings(const YAML::Node& node, Snapshot& snap, ParseContext& ctx) {
  const std::string path = "switchyard_settings";
  if (!isSection(node, path, ctx)) return;
  auto& s = snap.server;
  for (auto& [key, value] : mapEntries(node, path, ctx)) {
    const auto p = childPath(path, key);
    if (key == "host") {
      auto host = readString(value, p, ctx);
      if (host && host->empty()) ctx.error(p, "must not be empty");
      if (host && !host->empty()) s.host = *host;
    } else if (key == "port") {
      if (auto port = readInteger(value, p, ctx, 1, 65535)) s.port = static_cast<uint16_t>(*port);
    } else if (key == "workers") {
      if (auto w = readInteger(value, p, ctx, 0, 1024)) s.workers = static_cast<unsigned>(*w);
    } else if (key == "max_request_body_mb") {
      if (auto mb = readNumber(value, p, ctx, 0, 1024 * 1024)) {
        if (*mb == 0) {
          ctx.error(p, "must be greater than 0");
        } else {
          s.maxRequestBodyBytes = static_cast<size_t>(*mb * 1024 * 1024);
        }
      }
    } else if (key == "header_timeout") {
      if (auto t = readSeconds(value, p, ctx)) s.headerTimeout = *t;
    } else if (key == "body_timeout") {
      if (auto t = readSeconds(value, p, ctx)) s.bodyTimeout = *t;
    } else if (key == "keepalive_timeout") {
      if (auto t = readSeconds(value, p, ctx, true)) s.keepAliveTimeout = *t;
    } else if (key == "drain_timeout") {
      if (auto t = readSeconds(value, p, ctx, true)) s.drainTimeout = *t;
    } else if (key == "router") {
      parseSwitchyardRouter(value, p, snap, ctx);
    } else if (key == "cache") {
      parseSwitchyardCache(value, p, snap, ctx);
    } else if (key == "shared_limits") {
      parseSwitchyardSharedLimits(value, p, snap, ctx);
    } else if (key == "transforms") {
      parseTransforms(value, p, snap, ctx);
    } else if (parseGovernanceSetting(path, key, value, p, snap, ctx)) {
    } else if (parseTelemetryKey(key, value, p, s.telemetry, ctx)) {
    } else {
      ctx.warn(p, std::string(kUnknownKey));
    }
  }
}

void parseGeneralSettings(const YAML::Node& node, Snapshot& snap, ParseContext& ctx) {
  const std::string path = "general_settings";
  bool masterKeySeen = false;
  if (isSection(node, path, ctx)) {
    for (auto& [key, value] : mapEntries(node, path, ctx)) {
      const auto p = childPath(path, key);
      if (key == "master_key") {
        masterKeySeen = true;
        if (auto k = readString(value, p, ctx)) {
          snap.masterKey = *k;
          if (!k->starts_with("sk-")) {
            ctx.warn(p, "LiteLLM expects the master key to start with 'sk-'");
          }
        }
      } else if (key == "database_url") {
        // Never echoed: it usually carries a password.
        if (auto url = readString(value, p, ctx, UnsetEnv::kWarning)) snap.databaseUrl = *url;
      } else if (key == "max_request_size_mb") {
        if (auto mb = readNumber(value, p, ctx, 0, 1024 * 1024)) {
          if (*mb == 0) {
            ctx.error(p, "must be greater than 0");
          } else {
            snap.server.maxRequestBodyBytes = static_cast<size_t>(*mb * 1024 * 1024);
          }
        }
      } else if (key == "background_health_checks") {
        if (auto b = readBool(value, p, ctx)) snap.router.backgroundHealthChecks = *b;
      } else if (key == "health_check_interval") {
        if (auto t = readSeconds(value, p, ctx)) snap.router.healthCheckInterval = *t;
      } else if (parseGovernanceSetting(path, key, value, p, snap, ctx)) {
      } else if (contains(kGeneralNotSupported, key)) {
        ctx.warn(p, std::string(kNotSupported));
      } else {
        ctx.warn(p, std::string(kUnknownKey));
      }
    }
  }
  // LiteLLM's documented alternative to writing the key into the file.
  if (!masterKeySeen) {
    if (auto k = ctx.getenv("LITELLM_MASTER_KEY")) snap.masterKey = *k;
  }
}

void parseLitellmSettings(const YAML::Node& node, Snapshot& snap, ParseContext& ctx) {
  const std::string path = "litellm_settings";
  if (!isSection(node, path, ctx)) return;
  auto& raw = snap.litellmSettings;
  for (auto& [key, value] : mapEntries(node, path, ctx)) {
    const auto p = childPath(path, key);
    if (key == "drop_params") {
      if (auto b = readBool(value, p, ctx)) {
        snap.server.dropParams = *b;
        raw[key] = *b;
      }
    } else if (key == "request_timeout") {
      if (auto t = readSeconds(value, p, ctx)) {
        snap.server.defaultTimeout = *t;
        raw[key] = toSeconds(*t);
      }
    } else if (key == "num_retries") {
      if (auto n = readInteger(value, p, ctx, 0, 100)) raw[key] = *n;
    } else if (key == "set_verbose" || key == "json_logs") {
      if (auto b = readBool(value, p, ctx)) raw[key] = *b;
    } else if (key == "cache") {
      if (auto b = readBool(value, p, ctx)) snap.cache.enabled = *b;
    } else if (key == "cache_params") {
      parseCacheParams(value, p, snap, ctx);
    } else if (key == "max_end_user_budget") {
      if (auto usd = readNumber(value, p, ctx, 0.0, 1e12)) {
        snap.governance.maxEndUserBudget = *usd;
        raw[key] = *usd;
      }
    } else if (key == "disable_end_user_cost_tracking") {
      if (auto b = readBool(value, p, ctx)) {
        snap.governance.trackEndUsers = !*b;
        raw[key] = *b;
      }
    } else if (contains(kFallbackKeys, key)) {
      // LiteLLM accepts router fallbacks here too; loader.cpp moves them to routerSettings.
      checkFallbackShape(key, value, p, ctx);
      raw[key] = toJson(value, p, ctx);
    } else if (contains(kLitellmCallbacks, key)) {
      raw[key] = toJson(value, p, ctx);
      warnUnsupportedCallbacks(raw[key], p, ctx);
    } else if (contains(kLitellmNotSupported, key)) {
      ctx.warn(p, std::string(kNotSupported));
      raw[key] = toJson(value, p, ctx);
    } else {
      ctx.warn(p, std::string(kUnknownKey));
    }
  }
}

void parseRouterSettings(const YAML::Node& node, Snapshot& snap, ParseContext& ctx) {
  const std::string path = "router_settings";
  if (!isSection(node, path, ctx)) return;
  auto& raw = snap.routerSettings;
  for (auto& [key, value] : mapEntries(node, path, ctx)) {
    const auto p = childPath(path, key);
    if (key == "timeout") {
      if (auto t = readSeconds(value, p, ctx)) {
        snap.server.defaultTimeout = *t;
        raw[key] = toSeconds(*t);
      }
    } else if (key == "stream_timeout") {
      if (auto t = readSeconds(value, p, ctx)) {
        snap.server.defaultStreamTimeout = *t;
        raw[key] = toSeconds(*t);
      }
    } else if (key == "routing_strategy") {
      if (auto s = readString(value, p, ctx)) {
        if (contains(kRoutingStrategies, *s)) {
          raw[key] = *s;
        } else {
          ctx.error(p, "unknown routing strategy '" + *s +
                           "' (LiteLLM's are simple-shuffle, least-busy, usage-based-routing, "
                           "usage-based-routing-v2, latency-based-routing, cost-based-routing)");
        }
      }
    } else if (key == "num_retries" || key == "allowed_fails" || key == "max_fallbacks") {
      if (auto n = readInteger(value, p, ctx, 0, 1000)) raw[key] = *n;
    } else if (key == "disable_cooldowns") {
      if (auto b = readBool(value, p, ctx)) raw[key] = *b;
    } else if (key == "cooldown_time" || key == "retry_after") {
      if (auto t = readSeconds(value, p, ctx, true)) raw[key] = toSeconds(*t);
    } else if (contains(kFallbackKeys, key)) {
      checkFallbackShape(key, value, p, ctx);
      raw[key] = toJson(value, p, ctx);
    } else if (key == "model_group_alias") {
      checkModelGroupAlias(value, p, ctx);
      raw[key] = toJson(value, p, ctx);
    } else if (key == "retry_policy") {
      if (!isNull(value) && !value.IsMap()) {
        ctx.error(p, "expected a mapping like {RateLimitErrorRetries: 3}");
      } else {
        raw[key] = toJson(value, p, ctx);
      }
    } else if (parseRouterRedisKey(key, value, p, snap, ctx)) {
    } else if (key == "enable_pre_call_checks") {
      if (auto b = readBool(value, p, ctx)) raw[key] = *b;
    } else if (contains(kRouterNotSupported, key)) {
      ctx.warn(p, std::string(kNotSupported));
      raw[key] = toJson(value, p, ctx);
    } else {
      ctx.warn(p, std::string(kUnknownKey));
    }
  }
}

void checkRouterReferences(const Snapshot& snap, ParseContext& ctx) {
  auto known = [&](std::string_view name) {
    if (snap.groups.contains(name)) return true;
    for (const auto& w : snap.wildcards) {
      if (w.prefix.empty()) return true;
      if (name.size() > w.prefix.size() && name.starts_with(w.prefix) &&
          name[w.prefix.size()] == '/') {
        return true;
      }
    }
    return false;
  };
  auto check = [&](const boost::json::value& v, const std::string& path) {
    if (v.is_string() && !known(v.get_string())) {
      ctx.warn(path, "'" + std::string(v.get_string()) + "' is not a model group in model_list");
    }
  };
  const std::pair<std::string_view, const boost::json::object*> kSections[] = {
      {"router_settings", &snap.routerSettings}, {"litellm_settings", &snap.litellmSettings}};
  for (const auto& [section, settings] : kSections) {
    for (auto key : kFallbackKeys) {
      const auto* list = settings->if_contains(key);
      if (!list || !list->is_array()) continue;
      const auto path = childPath(section, key);
      const auto& array = list->get_array();
      for (size_t i = 0; i < array.size(); ++i) {
        if (!array[i].is_object()) {
          check(array[i], indexPath(path, i));  // default_fallbacks entries
          continue;
        }
        for (const auto& [group, targets] : array[i].get_object()) {
          const auto groupPath = childPath(indexPath(path, i), group);
          // "*" as the source group means every group.
          if (group != "*") check(boost::json::value(group), groupPath);
          if (targets.is_array()) {
            for (size_t j = 0; j < targets.get_array().size(); ++j) {
              check(targets.get_array()[j], indexPath(groupPath, j));
            }
          } else {
            check(targets, groupPath);
          }
        }
      }
    }
  }
  if (const auto* aliases = snap.routerSettings.if_contains("model_group_alias");
      aliases && aliases->is_object()) {
    for (const auto& [alias, target] : aliases->get_object()) {
      const auto p = childPath("router_settings.model_group_alias", alias);
      if (target.is_object()) {
        if (const auto* m = target.get_object().if_contains("model")) check(*m, p + ".model");
      } else {
        check(target, p);
      }
    }
  }
}

void adoptLitellmFallbacks(Snapshot& snap, ParseContext& ctx) {
  for (auto key : kFallbackKeys) {
    const auto* value = snap.litellmSettings.if_contains(key);
    if (!value) continue;
    if (snap.routerSettings.contains(key)) {
      ctx.warn(childPath("litellm_settings", key),
               "router_settings." + std::string(key) + " is also set and takes precedence");
    } else {
      snap.routerSettings[key] = *value;
    }
  }
}

}  // namespace switchyard::config_detail
