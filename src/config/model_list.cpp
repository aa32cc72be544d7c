// model_list: deployments and wildcard routes, with LiteLLM's provider-prefix rules.

#include <algorithm>
#include <array>

#include "config/sections.hpp"

namespace switchyard::config_detail {

namespace {

// litellm_params LiteLLM knows that Switchyard does not implement (yet). Unlike LiteLLM, which
// forwards unknown litellm_params to the provider call, anything else is reported as unknown.
constexpr std::array<std::string_view, 21> kParamsNotSupported = {
    "input_cost_per_second",
    "output_cost_per_second",
    "tags",
    "aws_profile_name",
    "aws_role_name",
    "azure_ad_token",
    "azure_ad_token_provider",
    "tenant_id",
    "client_id",
    "client_secret",
    "additional_drop_params",
    "mock_response",
    "use_in_pass_through",
    "cache_control_injection_points",
    "merge_reasoning_content_in_choices",
    "temperature",
    "max_tokens",
    "top_p",
    "seed",
    "stop",
    "use_litellm_proxy"};

// Provider-specific litellm_params (credentials, project, region), passed to the provider's
// adapter as strings; os.environ/ references are resolved like any other value.
// model_id: the inference component of a SageMaker endpoint that hosts several.
constexpr std::array<std::string_view, 9> kProviderParams = {
    "vertex_project",    "vertex_location",       "vertex_credentials",
    "aws_access_key_id", "aws_secret_access_key", "aws_session_token",
    "aws_region_name",   "region_name",           "model_id"};

std::string knownProviders() {
  std::string out;
  for (const auto& p : allProviders()) {
    if (!out.empty()) out += ", ";
    out += p.prefix;
  }
  return out;
}

// What litellm_params holds once read; parsed values only, defaults applied later.
struct Params {
  std::optional<std::string> model;
  bool modelGiven = false;
  std::optional<std::string> customProvider;
  std::optional<Url> apiBase;
  bool apiBaseGiven = false;  // set even when the value was invalid, to skip defaulting
  std::optional<std::string> apiKey;
  bool apiKeyGiven = false;
  std::optional<std::string> apiVersion;
  std::optional<std::chrono::milliseconds> timeout;
  std::optional<std::chrono::milliseconds> streamTimeout;
  std::optional<int64_t> rpm;
  std::optional<int64_t> tpm;
  std::optional<double> weight;
  std::map<std::string, std::string> extraHeaders;
  std::map<std::string, std::string> providerParams;
  std::optional<bool> dropParams;
  std::optional<int64_t> order;
  std::optional<int64_t> maxParallelRequests;
  std::optional<double> inputCostPerToken;
  std::optional<double> outputCostPerToken;
};

Params readParams(const YAML::Node& node, const std::string& path, ParseContext& ctx) {
  Params p;
  const auto entries = mapEntries(node, path, ctx);
  const bool hasApiBase =
      std::any_of(entries.begin(), entries.end(), [](auto& e) { return e.first == "api_base"; });
  for (auto& [key, value] : entries) {
    const auto kp = childPath(path, key);
    if (key == "model") {
      p.modelGiven = !isNull(value);
      p.model = readString(value, kp, ctx);
    } else if (key == "custom_llm_provider") {
      p.customProvider = readString(value, kp, ctx);
    } else if (key == "api_base" || key == "base_url") {
      if (key == "base_url" && hasApiBase) {
        ctx.warn(kp, "both api_base and base_url are set: api_base is used");
        continue;
      }
      p.apiBaseGiven = !isNull(value);
      p.apiBase = readUrl(value, kp, ctx);
    } else if (key == "api_key") {
      p.apiKeyGiven = !isNull(value);
      p.apiKey = readString(value, kp, ctx);
    } else if (key == "api_version") {
      p.apiVersion = readString(value, kp, ctx);
    } else if (key == "timeout") {
      p.timeout = readSeconds(value, kp, ctx);
    } else if (key == "stream_timeout") {
      p.streamTimeout = readSeconds(value, kp, ctx);
    } else if (key == "rpm") {
      p.rpm = readInteger(value, kp, ctx, 0, INT64_MAX);
    } else if (key == "tpm") {
      p.tpm = readInteger(value, kp, ctx, 0, INT64_MAX);
    } else if (key == "weight") {
      p.weight = readNumber(value, kp, ctx, 0, 1e9);
    } else if (key == "extra_headers") {
      if (auto headers = readStringMap(value, kp, ctx)) p.extraHeaders = std::move(*headers);
    } else if (std::find(kProviderParams.begin(), kProviderParams.end(), key) !=
               kProviderParams.end()) {
      if (auto v = readString(value, kp, ctx)) p.providerParams[key] = std::move(*v);
    } else if (key == "drop_params") {
      p.dropParams = readBool(value, kp, ctx);
    } else if (key == "order") {
      p.order = readInteger(value, kp, ctx, 0, 1'000'000);
    } else if (key == "max_parallel_requests") {
      p.maxParallelRequests = readInteger(value, kp, ctx, 1, 1'000'000'000);
    } else if (key == "input_cost_per_token") {
      p.inputCostPerToken = readNumber(value, kp, ctx, 0, 1e6);
    } else if (key == "output_cost_per_token") {
      p.outputCostPerToken = readNumber(value, kp, ctx, 0, 1e6);
    } else if (key == "organization") {
      ctx.warn(kp, "OpenAI organization header is not supported yet: ignored");
    } else if (key == "max_retries" || key == "num_retries") {
      if (readInteger(value, kp, ctx, 0, 1000)) {
        ctx.warn(kp, "per-deployment retries are not applied yet (the router will): ignored");
      }
    } else if (std::find(kParamsNotSupported.begin(), kParamsNotSupported.end(), key) !=
               kParamsNotSupported.end()) {
      ctx.warn(kp, std::string(kNotSupported));
    } else {
      ctx.warn(kp, std::string(kUnknownKey));
    }
  }
  return p;
}

// model_info prices, as LiteLLM's cost tracking reads them; anything but a number ≥ 0 is ignored.
std::optional<double> costFromInfo(const boost::json::object& info, std::string_view key) {
  const auto* v = info.if_contains(key);
  if (!v || !v->is_number()) return std::nullopt;
  const double cost = v->to_number<double>();
  if (!(cost >= 0)) return std::nullopt;
  return cost;
}

bool isWildcardName(std::string_view name) { return name == "*" || name.ends_with("/*"); }

// LiteLLM loads a deployment it cannot serve (a provider it lacks, a model string it cannot
// split) and fails only that deployment at request time; here it is left out with a warning
// (an error under --strict) and its model name answers an error that says why.
void disableDeployment(const std::string& modelName, const std::string& path,
                       const std::string& why, Snapshot& snap, ParseContext& ctx) {
  snap.disabledModels.try_emplace(modelName, path + ": " + why);
  ctx.strictWarn(path, why +
                           ": this deployment is disabled; the rest of the config serves (an "
                           "error with --strict)");
}

// Fills provider, key, base, version and timeouts; false when the entry cannot be routed.
bool resolveEndpoint(Deployment& d, const ProviderInfo& info, const Params& p,
                     const std::string& paramsPath, Snapshot& snap, ParseContext& ctx) {
  bool ok = true;
  applyProvider(d, info);
  d.providerParams = p.providerParams;
  applyProviderEnvironment(d, ctx);

  if (p.apiBase) {
    d.apiBase = *p.apiBase;
  } else if (p.apiBaseGiven) {
    ok = false;  // already reported by readUrl
  } else {
    std::string base(info.defaultApiBase);
    std::string from = "the provider default";
    if (!info.apiBaseEnv.empty()) {
      if (auto env = ctx.getenv(info.apiBaseEnv)) {
        base = *env;
        from = "environment variable " + std::string(info.apiBaseEnv);
      }
    }
    // Bedrock and Vertex hosts depend on the deployment's region or location.
    if (info.deploymentApiBase && base == info.defaultApiBase) {
      auto resolved = info.deploymentApiBase(d.providerParams);
      base = std::move(resolved.url);
      from = resolved.from;
    }
    const auto basePath = childPath(paramsPath, "api_base");
    if (base.empty()) {
      std::string how = "set api_base";
      if (!info.apiBaseEnv.empty()) how += " or " + std::string(info.apiBaseEnv);
      if (info.deploymentApiBase) how += " or " + std::string(from);
      // LiteLLM loads such an entry and fails it at request time: only it is left out.
      disableDeployment(d.modelName, basePath,
                        "provider '" + d.provider + "' has no default endpoint: " + how, snap, ctx);
      ok = false;
    } else if (auto url = parseUrl(base)) {
      d.apiBase = *url;
    } else {
      ctx.error(basePath, "from " + from + ": " + url.error().message);
      ok = false;
    }
  }

  // Ollama's OpenAI-compatible /v1 next to its native API: the api_base says which.
  d.format = wireFormatFor(info, d.apiBase.path);

  if (p.apiKey) {
    d.apiKey = *p.apiKey;
  } else if (p.apiKeyGiven) {
    ok = false;  // os.environ/ reference unset: reported by readString
  } else if (!info.apiKeyEnv.empty()) {
    if (auto env = ctx.getenv(info.apiKeyEnv)) d.apiKey = *env;
  }
  // A key may still arrive through the environment before a reload, so this only warns.
  if (d.apiKey.empty() && !p.apiKeyGiven && info.apiKeyRequired) {
    std::string msg = "no api_key";
    if (!info.apiKeyEnv.empty()) msg += " and " + std::string(info.apiKeyEnv) + " is not set";
    ctx.warn(childPath(paramsPath, "api_key"),
             msg + ": requests to this deployment will fail upstream");
  }

  if (p.apiVersion) {
    d.apiVersion = *p.apiVersion;
  } else if (info.format == WireFormat::kAzure) {
    if (auto env = ctx.getenv("AZURE_API_VERSION")) {
      d.apiVersion = *env;
    } else {
      ctx.warn(childPath(paramsPath, "api_version"),
               "azure deployment without api_version (or AZURE_API_VERSION): the adapter's "
               "default version is used");
    }
  }

  d.timeout = p.timeout.value_or(snap.server.defaultTimeout);
  d.streamTimeout = p.streamTimeout.value_or(inheritedStreamTimeout(snap.server, d.timeout));
  d.extraHeaders = p.extraHeaders;
  d.dropParams = p.dropParams.value_or(snap.server.dropParams);
  if (p.weight) d.weight = *p.weight;
  d.order = p.order;
  d.maxParallelRequests = p.maxParallelRequests;
  d.inputCostPerToken =
      p.inputCostPerToken ? p.inputCostPerToken : costFromInfo(d.modelInfo, "input_cost_per_token");
  d.outputCostPerToken = p.outputCostPerToken ? p.outputCostPerToken
                                              : costFromInfo(d.modelInfo, "output_cost_per_token");
  return ok;
}

void parseEntry(const YAML::Node& node, size_t index, Snapshot& snap, ParseContext& ctx) {
  const auto path = indexPath("model_list", index);
  if (!node.IsMap()) {
    ctx.error(path, "expected a mapping with model_name and litellm_params");
    return;
  }
  YAML::Node nameNode, paramsNode, infoNode, rpmNode, tpmNode;
  for (auto& [key, value] : mapEntries(node, path, ctx)) {
    if (key == "model_name") {
      nameNode = value;
    } else if (key == "litellm_params") {
      paramsNode = value;
    } else if (key == "model_info") {
      infoNode = value;
    } else if (key == "rpm") {
      rpmNode = value;
    } else if (key == "tpm") {
      tpmNode = value;
    } else {
      ctx.warn(childPath(path, key), std::string(kUnknownKey));
    }
  }

  bool ok = true;
  const auto namePath = childPath(path, "model_name");
  auto modelName = readString(nameNode, namePath, ctx);
  if (!modelName || modelName->empty()) {
    if (isNull(nameNode)) {
      ctx.error(namePath, "required: the model name clients ask for");
    } else if (modelName) {
      ctx.error(namePath, "must not be empty");
    }
    ok = false;
  }

  const auto paramsPath = childPath(path, "litellm_params");
  if (isNull(paramsNode)) {
    ctx.error(paramsPath, "required: at least litellm_params.model");
    return;
  }
  if (!paramsNode.IsMap()) {
    ctx.error(paramsPath, "expected a mapping");
    return;
  }
  Params params = readParams(paramsNode, paramsPath, ctx);
  const auto modelPath = childPath(paramsPath, "model");
  if (!params.model || params.model->empty()) {
    if (!params.modelGiven) {
      ctx.error(modelPath, "required: \"<provider>/<model>\", e.g. \"openai/gpt-4o\"");
    } else if (params.model) {
      ctx.error(modelPath, "must not be empty");
    }
    ok = false;
  }
  if (!params.rpm) params.rpm = readInteger(rpmNode, childPath(path, "rpm"), ctx, 0, INT64_MAX);
  if (!params.tpm) params.tpm = readInteger(tpmNode, childPath(path, "tpm"), ctx, 0, INT64_MAX);

  boost::json::object modelInfo;
  if (!isNull(infoNode)) {
    const auto infoPath = childPath(path, "model_info");
    if (infoNode.IsMap()) {
      modelInfo = toJson(infoNode, infoPath, ctx).as_object();
    } else {
      ctx.error(infoPath, "expected a mapping");
      ok = false;
    }
  }
  if (!ok) return;

  const std::string& model = *params.model;
  const bool wildName = isWildcardName(*modelName);
  if (!wildName && modelName->find('*') != std::string::npos) {
    ctx.error(namePath, "unsupported wildcard pattern: use \"*\" or \"<prefix>/*\"");
    return;
  }

  // LiteLLM's "pass every model through" entry: one route per provider the environment
  // configures, since each needs its own key.
  if (model == "*") {
    if (*modelName != "*") {
      ctx.error(modelPath, "model \"*\" needs model_name \"*\"; use \"<provider>/*\" here");
      return;
    }
    if (params.apiKeyGiven || params.apiBaseGiven) {
      ctx.warn(paramsPath,
               "api_key/api_base with model \"*\" would go to every provider: ignored; provider "
               "keys come from the environment");
    }
    if (addEnvironmentWildcards(snap, ctx, "#" + std::to_string(index)) == 0) {
      ctx.warn(modelPath, "model \"*\" but no provider api key is set in the environment");
    }
    return;
  }

  std::string provider;
  std::string upstream;
  if (params.customProvider) {
    provider = *params.customProvider;
    upstream = model.starts_with(provider + "/") ? model.substr(provider.size() + 1) : model;
  } else if (auto slash = model.find('/'); slash == std::string::npos) {
    provider = "openai";  // LiteLLM sends bare model names to OpenAI
    upstream = model;
  } else {
    provider = model.substr(0, slash);
    upstream = model.substr(slash + 1);
  }
  const ProviderInfo* info = findProvider(provider);
  if (!info) {
    disableDeployment(
        *modelName,
        params.customProvider ? childPath(paramsPath, "custom_llm_provider") : modelPath,
        "unknown provider '" + provider + "' (known: " + knownProviders() + ")", snap, ctx);
    return;
  }
  if (upstream.empty()) {
    disableDeployment(*modelName, modelPath,
                      "no model name after the provider prefix '" + provider + "/'", snap, ctx);
    return;
  }
  const bool wildModel = upstream == "*";
  if (!wildModel && upstream.find('*') != std::string::npos) {
    disableDeployment(*modelName, modelPath,
                      "unsupported wildcard pattern '" + model + "': use \"<provider>/*\"", snap,
                      ctx);
    return;
  }
  if (wildName != wildModel) {
    ctx.error(wildName ? modelPath : namePath,
              wildName ? "a wildcard model_name needs model \"" + provider + "/*\""
                       : "model \"" + model +
                             "\" is a wildcard: model_name must be \"*\" or "
                             "\"<prefix>/*\"");
    return;
  }

  Deployment d;
  d.id = *modelName + "#" + std::to_string(index);
  d.modelName = *modelName;
  d.upstreamModel = wildModel ? "" : upstream;
  d.rpm = params.rpm;
  d.tpm = params.tpm;
  d.modelInfo = std::move(modelInfo);
  if (!resolveEndpoint(d, *info, params, paramsPath, snap, ctx)) return;

  if (wildModel) {
    WildcardRoute route;
    route.prefix = *modelName == "*" ? "" : modelName->substr(0, modelName->size() - 2);
    route.deploymentTemplate = std::move(d);
    snap.wildcards.push_back(std::move(route));
    return;
  }
  snap.groups[*modelName].push_back(snap.deployments.size());
  snap.deployments.push_back(std::make_shared<const Deployment>(std::move(d)));
}

}  // namespace

void parseModelList(const YAML::Node& node, Snapshot& snap, ParseContext& ctx) {
  const std::string path = "model_list";
  if (isNull(node)) {
    ctx.warn(path, "no model_list: no models are configured");
    return;
  }
  if (!node.IsSequence()) {
    ctx.error(path, "expected a list of deployments (\"- model_name: ...\")");
    return;
  }
  if (node.size() == 0) ctx.warn(path, "empty: no models are configured");
  for (size_t i = 0; i < node.size(); ++i) parseEntry(node[i], i, snap, ctx);
  if (!snap.disabledModels.empty() && snap.deployments.empty() && snap.wildcards.empty()) {
    ctx.error(path, "no usable deployment: every entry is disabled (see the warnings)");
  }
}

}  // namespace switchyard::config_detail
