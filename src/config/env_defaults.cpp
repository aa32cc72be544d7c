// Configurations that need no file: wildcard routes from provider keys in the environment, and
// the built-in mock that lets `switchyard` answer requests with no key at all.

#include <cstdlib>
#include <set>

#include "config/sections.hpp"

namespace switchyard {

using config_detail::ParseContext;

Environment processEnvironment() {
  return [](std::string_view name) -> std::optional<std::string> {
    const char* value = std::getenv(std::string(name).c_str());
    if (!value) return std::nullopt;
    return std::string(value);
  };
}

namespace config_detail {

size_t addEnvironmentWildcards(Snapshot& snap, ParseContext& ctx, const std::string& idSuffix) {
  size_t added = 0;
  // A key variable read by two providers (OPENAI_API_KEY by openai and text-completion-openai)
  // routes the first one's prefix only: the other is an API of the same host, for configs to name.
  std::set<std::string_view> keysRouted;
  for (const auto& info : allProviders()) {
    if (info.apiKeyRequired && !keysRouted.insert(info.apiKeyEnv).second) continue;
    std::optional<std::string> key;
    if (!info.apiKeyEnv.empty()) key = ctx.getenv(info.apiKeyEnv);
    std::optional<std::string> base;
    if (!info.apiBaseEnv.empty()) base = ctx.getenv(info.apiBaseEnv);
    // Local servers need no key, so only an explicit base URL says they are there.
    if (info.apiKeyRequired ? !key : !base) continue;

    const std::string prefix(info.prefix);
    const std::string baseText = base.value_or(std::string(info.defaultApiBase));
    if (baseText.empty()) {
      ctx.warn(std::string(info.apiBaseEnv), std::string(info.apiKeyEnv) + " is set but " +
                                                 std::string(info.apiBaseEnv) +
                                                 " is not: " + prefix + "/* is not routed");
      continue;
    }
    auto url = parseUrl(baseText);
    if (!url) {
      ctx.error(std::string(info.apiBaseEnv), url.error().message);
      continue;
    }
    Deployment d;
    d.id = prefix + "/*" + idSuffix;
    d.modelName = prefix + "/*";
    applyProvider(d, info);
    d.apiBase = *url;
    d.format = wireFormatFor(info, d.apiBase.path);
    d.apiKey = key.value_or("");
    applyProviderEnvironment(d, ctx);
    if (info.format == WireFormat::kAzure)
      d.apiVersion = ctx.getenv("AZURE_API_VERSION").value_or("");
    d.timeout = snap.server.defaultTimeout;
    d.streamTimeout = inheritedStreamTimeout(snap.server, d.timeout);
    snap.wildcards.push_back(WildcardRoute{prefix, std::move(d)});
    ++added;
  }
  return added;
}

}  // namespace config_detail

LoadResult snapshotFromEnvironment(const Environment& env) {
  LoadResult result;
  ParseContext ctx(env, result.diagnostics);
  auto snap = std::make_shared<Snapshot>();
  snap->source = "environment";
  snap->masterKey = ctx.getenv("LITELLM_MASTER_KEY").value_or("");
  if (config_detail::addEnvironmentWildcards(*snap, ctx, "") == 0) {
    ctx.warn("", "no provider api key is set in the environment: no models are configured");
  }
  config_detail::resolveTelemetry(*snap, ctx);
  if (!ctx.hasErrors()) result.snapshot = std::move(snap);
  return result;
}

std::shared_ptr<const Snapshot> snapshotForMock(const Url& mockBase, ServerSettings settings) {
  auto snap = std::make_shared<Snapshot>();
  snap->source = "built-in mock";
  snap->server = std::move(settings);
  auto mockDeployment = [&](std::string modelName, std::string id) {
    Deployment d;
    d.id = std::move(id);
    d.modelName = std::move(modelName);
    d.provider = "openai";
    d.format = WireFormat::kOpenAi;
    d.apiBase = mockBase;
    d.apiKey = "mock-key";
    d.timeout = snap->server.defaultTimeout;
    d.streamTimeout = config_detail::inheritedStreamTimeout(snap->server, d.timeout);
    return d;
  };
  for (const char* model : {"gpt-4o-mini", "gpt-4o", "text-embedding-3-small"}) {
    Deployment d =
        mockDeployment(model, std::string(model) + "#" + std::to_string(snap->deployments.size()));
    d.upstreamModel = model;
    snap->groups[d.modelName].push_back(snap->deployments.size());
    snap->deployments.push_back(std::make_shared<const Deployment>(std::move(d)));
  }
  snap->wildcards.push_back(WildcardRoute{"mock", mockDeployment("mock/*", "mock/*")});
  return snap;
}

}  // namespace switchyard
