#pragma once
// Internal to config/: one parser per top-level section of the config file. Each fills its part
// of the Snapshot and reports problems through the ParseContext.

#include <yaml-cpp/yaml.h>

#include <string>
#include <string_view>

#include "config/snapshot.hpp"
#include "config/yaml_values.hpp"

namespace switchyard::config_detail {

inline constexpr std::string_view kNotSupported =
    "recognised LiteLLM setting, not supported yet: ignored";
inline constexpr std::string_view kUnknownKey = "unknown key: ignored (is it misspelt?)";

// Settings sections run before model_list so deployments inherit their defaults whatever the key
// order in the file.
void parseSwitchyardSettings(const YAML::Node& node, Snapshot& snap, ParseContext& ctx);
void parseGeneralSettings(const YAML::Node& node, Snapshot& snap, ParseContext& ctx);
void parseLitellmSettings(const YAML::Node& node, Snapshot& snap, ParseContext& ctx);
void parseRouterSettings(const YAML::Node& node, Snapshot& snap, ParseContext& ctx);
void parseModelList(const YAML::Node& node, Snapshot& snap, ParseContext& ctx);
// The top-level guardrails list (guardrails_section.cpp).
void parseGuardrails(const YAML::Node& node, Snapshot& snap, ParseContext& ctx);
// LiteLLM takes fallbacks in litellm_settings too; routing reads them from routerSettings only.
void adoptLitellmFallbacks(Snapshot& snap, ParseContext& ctx);
// The governance keys of general_settings / switchyard_settings (governance_settings.cpp); false
// when `key` is not one of them.
bool parseGovernanceSetting(std::string_view section, const std::string& key,
                            const YAML::Node& value, const std::string& path, Snapshot& snap,
                            ParseContext& ctx);
// responses_store_max_mb / _ttl / _scope, in either section, and general_settings'
// disable_responses_id_security (responses_store_settings.cpp); false when `key` is not one.
bool parseResponsesStoreSetting(std::string_view section, const std::string& key,
                                const YAML::Node& value, const std::string& path, Snapshot& snap,
                                ParseContext& ctx);
// router_settings' Redis keys (redis_host, redis_port, redis_password, redis_url, redis_db) and
// switchyard_settings.shared_limits (shared_limits_section.cpp); false when `key` is not one.
// One key of a Redis endpoint, named as LiteLLM's cache_params name them (host, port, password,
// username, db, url); false when `key` is not one. router_settings' are the same with redis_.
bool parseRedisEndpointKey(std::string_view key, const YAML::Node& value, const std::string& path,
                           RedisEndpoint& endpoint, ParseContext& ctx);
bool parseRouterRedisKey(const std::string& key, const YAML::Node& value, const std::string& path,
                         Snapshot& snap, ParseContext& ctx);
void parseSwitchyardSharedLimits(const YAML::Node& node, const std::string& path, Snapshot& snap,
                                 ParseContext& ctx);
// After model_list: fallbacks and aliases that name no model group are reported.
void checkRouterReferences(const Snapshot& snap, ParseContext& ctx);

// litellm_settings.cache_params and switchyard_settings.cache (cache_settings.cpp).
void parseCacheParams(const YAML::Node& node, const std::string& path, Snapshot& snap,
                      ParseContext& ctx);
void parseSwitchyardCache(const YAML::Node& node, const std::string& path, Snapshot& snap,
                          ParseContext& ctx);

// switchyard_settings.router: Switchyard's own routing keys (TTFT timeout, backoff, hedging).
void parseSwitchyardRouter(const YAML::Node& node, const std::string& path, Snapshot& snap,
                           ParseContext& ctx);
// Last: router_settings / litellm_settings (already normalised) into Snapshot::router, with
// errors for values that are well-typed but meaningless (unknown retry_policy keys, ...).
void buildRouterSettings(Snapshot& snap, ParseContext& ctx);
// switchyard_settings' telemetry keys (metrics, access_log, otel, otel_*); false for other keys.
bool parseTelemetryKey(const std::string& key, const YAML::Node& value, const std::string& path,
                       TelemetrySettings& settings, ParseContext& ctx);
// After all sections: tracing from the config, LiteLLM's callbacks and the OTEL_* variables.
void resolveTelemetry(Snapshot& snap, ParseContext& ctx);

// One wildcard route per provider configured in the environment (api key variable set, or for
// keyless local servers the api-base variable). Returns how many were added.
size_t addEnvironmentWildcards(Snapshot& snap, ParseContext& ctx, const std::string& idSuffix);

// What a deployment takes from its provider's row in the table: name, wire format and quirks.
// One place, so that a new per-provider fact reaches configured and environment routes alike.
void applyProvider(Deployment& d, const ProviderInfo& info);

// What the provider's own SDK would read from the environment (AWS_*, VERTEXAI_*,
// GOOGLE_APPLICATION_CREDENTIALS, CO_API_KEY) where the config does not say it, into the
// deployment's providerParams / apiKey: adapters never read the environment themselves.
void applyProviderEnvironment(Deployment& d, ParseContext& ctx);

// The stream timeout a deployment gets when it sets none: router default, else its own timeout.
std::chrono::milliseconds inheritedStreamTimeout(const ServerSettings& s,
                                                 std::chrono::milliseconds timeout);

}  // namespace switchyard::config_detail
