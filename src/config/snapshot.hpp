#pragma once
// The validated, immutable view of the configuration that the data path reads: the gateway's one
// runtime. Built by config/loader from LiteLLM-style YAML (or from the environment when there is
// no file), completed with what the config names (prices, governance, deployment state) and
// swapped atomically on reload; a request keeps the snapshot it started with.

#include <boost/json/object.hpp>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "config/cache_settings.hpp"
#include "config/governance_settings.hpp"
#include "config/guardrail_settings.hpp"
#include "config/redis_settings.hpp"
#include "config/responses_store_settings.hpp"
#include "config/router_settings.hpp"
#include "config/telemetry_settings.hpp"
#include "core/url.hpp"
#include "providers/registry.hpp"
#include "routing/deployment_state.hpp"

namespace switchyard {

class Governance;
class GuardrailSet;
class LogSink;
class PriceTable;
class RedisCache;
class ResponseCache;
class ResponsesStore;
class SharedCounters;
class SpanExporter;
class VertexTokenCache;
namespace tokenizer {
class Encoding;
}

// One model on one provider with one key: the unit the router picks.
struct Deployment {
  std::string id;         // stable id: "<model_name>#<index in model_list>"
  std::string modelName;  // public name clients ask for (model_list[].model_name)
  std::string provider;   // "openai", "azure", "groq", ... (prefix of litellm_params.model)
  WireFormat format = WireFormat::kOpenAi;  // from the provider table
  std::string upstreamModel;  // what the upstream is told (litellm_params.model minus prefix)
  Url apiBase;                // where requests go; provider default when not configured
  std::string apiKey;         // resolved (os.environ/NAME already substituted); may be empty
  std::string apiVersion;     // azure api-version
  std::chrono::milliseconds timeout{600'000};        // whole non-streaming request
  std::chrono::milliseconds streamTimeout{600'000};  // longest silence inside a stream
  std::optional<int64_t> rpm;
  std::optional<int64_t> tpm;
  double weight = 1.0;
  boost::json::object modelInfo;                    // model_info, kept as given
  std::map<std::string, std::string> extraHeaders;  // litellm_params.extra_headers
  // Ask the upstream for stream usage (stream_options.include_usage); off for hosts that reject
  // the field. From ProviderInfo::acceptsStreamOptions.
  bool streamUsage = true;
  // Provider-specific litellm_params (vertex_project, aws_region_name, ...), resolved.
  std::map<std::string, std::string> providerParams;
  // Vertex AI: the access token its service-account credentials are exchanged for, shared with
  // every deployment that has the same credentials and handed on by a reload that keeps them
  // (providers/vertex/vertex_auth.hpp). Set by server/runtime_builder; null for other providers.
  std::shared_ptr<VertexTokenCache> vertexTokens;
  // Parameters the provider cannot honour are dropped instead of refused (drop_params).
  bool dropParams = false;
  // Priority inside the group (litellm_params.order): lower first; unset after every set one.
  std::optional<int64_t> order;
  std::optional<int64_t> maxParallelRequests;  // in flight at once; more are routed elsewhere
  // USD per token (litellm_params, else model_info), for cost-based routing and max_price.
  std::optional<double> inputCostPerToken;
  std::optional<double> outputCostPerToken;
  // Resolved when the config becomes the running one (routing/context_check.hpp): the context
  // window for the input (model_info, else the price data; unset: unknown), and the encoding that
  // counts its prompts (null: the gateway's estimate).
  std::optional<int64_t> maxInputTokens;
  const tokenizer::Encoding* tokenizer = nullptr;
  // Load, latency and circuit breaker of this upstream (routing/deployment_state.hpp). Each new
  // deployment starts with its own; a reload hands the same upstream's state on
  // (carryOverDeploymentStates), and copies (a wildcard's per-request deployment) share it.
  std::shared_ptr<DeploymentState> state = std::make_shared<DeploymentState>();
};

// A provider route without a configured deployment, LiteLLM's "openai/*" wildcard: any model
// named "<prefix>/<name>" goes to that provider with the given key. An empty prefix comes from
// model_name "*" and matches every model name (the whole name is sent upstream).
struct WildcardRoute {
  std::string prefix;             // "openai"
  Deployment deploymentTemplate;  // upstreamModel empty; filled per request
};

struct ServerSettings {
  // switchyard_settings.host; empty: chosen at start (server/bind_policy.hpp).
  std::string host;
  uint16_t port = 4000;
  unsigned workers = 0;                                // 0: one per core
  size_t maxRequestBodyBytes = 10 * 1024 * 1024;       // larger bodies get 413
  std::chrono::milliseconds headerTimeout{10'000};     // slow clients (slowloris)
  std::chrono::milliseconds bodyTimeout{60'000};       // whole body must arrive within
  std::chrono::milliseconds keepAliveTimeout{75'000};  // idle keep-alive connections
  std::chrono::milliseconds drainTimeout{30'000};      // SIGTERM grace for in-flight work
  std::chrono::milliseconds defaultTimeout{600'000};   // router_settings.timeout
  std::optional<std::chrono::milliseconds> defaultStreamTimeout;
  bool dropParams = false;  // litellm_settings.drop_params
  TelemetrySettings telemetry;
};

struct Snapshot {
  std::vector<std::shared_ptr<const Deployment>> deployments;  // model_list order
  // model_name → indices into deployments, in model_list order.
  std::map<std::string, std::vector<size_t>, std::less<>> groups;
  std::vector<WildcardRoute> wildcards;
  // model_name → why its deployment was left out at load ("model_list[3].litellm_params.model:
  // unknown provider 'sagemaker'"), for the error a request for it gets when no other
  // deployment serves the name. Wildcard names ("sagemaker/*") match by prefix.
  std::map<std::string, std::string, std::less<>> disabledModels;
  std::string masterKey;  // general_settings.master_key; empty: no auth
  ServerSettings server;
  std::string source;  // file path, or "environment" / "built-in mock"
  // router_settings and litellm_settings as given (os.environ/ resolved), for the routing work
  // (fallbacks, retries, cooldowns, aliases) that reads them; timeouts are already applied above.
  boost::json::object routerSettings;
  boost::json::object litellmSettings;
  std::string databaseUrl;  // general_settings.database_url: sqlite path/URL or postgresql://
  GovernanceSettings governance;
  RouterSettings router;  // typed routing settings (config/router_settings_parse.cpp)
  std::vector<GuardrailSpec> guardrails;  // the guardrails list, in config order
  CacheSettings cache;  // litellm_settings.cache / cache_params, switchyard_settings.cache
  // router_settings.redis_* and switchyard_settings.shared_limits: limits, budgets and cooldowns
  // shared by several instances through Redis (store/redis/shared_counters.hpp).
  SharedLimitsSettings sharedLimits;
  ResponsesStoreLimits responsesStore;  // responses_store_max_mb, responses_store_ttl

  // What the config decides beyond its own text, added when it becomes the running one
  // (server/runtime_builder.hpp) and shared with the previous runtime where it did not change.
  // Null in a snapshot that was only parsed (check-config, tests).
  std::shared_ptr<const PriceTable> prices;       // model_prices_path, else the built-in table
  std::shared_ptr<Governance> governanceService;  // virtual keys, budgets, spend; null when off
  // `guardrails` compiled into detectors (stages/guardrails/guardrail_set.hpp); null when none.
  std::shared_ptr<const GuardrailSet> guardrailSet;
  // The answers kept by the cache stage (stages/cache), handed on by a reload that keeps the
  // cache on; null when caching is off.
  std::shared_ptr<ResponseCache> responseCache;
  // Its second level in Redis, shared by the instances (stages/cache/redis_cache.hpp); null
  // unless cache_params.type is redis. Handed on by a reload that keeps the same Redis.
  std::shared_ptr<RedisCache> redisCache;
  // The stored Responses API responses (store/responses_store.hpp): one for the process, handed
  // on by every reload.
  std::shared_ptr<ResponsesStore> responsesStoreService;
  // The counters shared with other instances through Redis, handed on by a reload that keeps the
  // same Redis; null when no Redis is configured.
  std::shared_ptr<SharedCounters> sharedCounters;
  // Where the requests of this runtime write their access-log lines and send their spans; null
  // when off. Owned by telemetry/telemetry_sinks, which keeps every output a runtime was given
  // until the gateway has stopped, so that a request that began before a reload replaced them
  // still writes to the ones it began with.
  LogSink* accessLogSink = nullptr;
  SpanExporter* spanExporter = nullptr;

  // Public model names in a stable order, for /v1/models and error messages.
  std::vector<std::string> modelNames() const;
};

}  // namespace switchyard
