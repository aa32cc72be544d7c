#include "server/runtime_builder.hpp"

#include "core/log.hpp"
#include "providers/vertex/vertex_auth.hpp"
#include "routing/context_check.hpp"
#include "routing/deployment_state.hpp"
#include "stages/accounting/price_table.hpp"
#include "stages/cache/redis_cache.hpp"
#include "stages/cache/response_cache.hpp"
#include "stages/guardrails/guardrail_set.hpp"
#include "store/redis/shared_counters.hpp"

namespace switchyard {

namespace {

// One set of shared counters per Redis: a reload that keeps the settings keeps it (with its
// leases and connection); the deployments it watches become the new snapshot's.
void shareCounters(Snapshot& next, const Snapshot* previous) {
  if (!next.sharedLimits.redis.configured()) return;
  if (previous && previous->sharedCounters &&
      previous->sharedCounters->options() == next.sharedLimits) {
    next.sharedCounters = previous->sharedCounters;
  } else {
    next.sharedCounters = std::make_shared<SharedCounters>(next.sharedLimits);
  }
  std::vector<std::pair<std::string, std::weak_ptr<DeploymentState>>> watched;
  for (const auto& d : next.deployments) watched.emplace_back(deploymentStateKey(*d), d->state);
  next.sharedCounters->watchDeployments(std::move(watched));
}

}  // namespace

Result<std::shared_ptr<const Snapshot>> RuntimeBuilder::build(const Snapshot& parsed,
                                                              const Snapshot* previous) {
  auto next = std::make_shared<Snapshot>(parsed);
  const std::string& pricesPath = next->governance.modelPricesPath;
  // The built-in table cannot change; a price file is read again, as an edit is why one reloads.
  if (previous && previous->prices && pricesPath.empty() &&
      previous->governance.modelPricesPath.empty()) {
    next->prices = previous->prices;
  } else {
    auto prices = loadPriceTable(pricesPath);
    if (!prices) return prices.error();
    next->prices = std::move(*prices);
  }
  resolveContextWindows(*next);
  // Detectors are compiled once per config; a reload that keeps the list keeps them (and their
  // counters).
  if (previous && previous->guardrailSet && previous->guardrails == next->guardrails) {
    next->guardrailSet = previous->guardrailSet;
  } else if (!next->guardrails.empty()) {
    auto set = compileGuardrails(next->guardrails);
    if (!set) return set.error();
    next->guardrailSet = std::move(*set);
  }
  auto governance = governance_.forConfig(*next);
  if (!governance) return governance.error();
  next->governanceService = std::move(*governance);
  auto responses = responses_.forConfig(*next);
  if (!responses) return responses.error();
  next->responsesStoreService = std::move(*responses);
  // Last of what can fail: a build that fails earlier leaves the running outputs alone.
  if (auto started = startTelemetry(next->server.telemetry); !started) return started.error();
  next->accessLogSink = telemetry_->accessLog();
  next->spanExporter = telemetry_->exporter();
  shareVertexTokenCaches(*next, previous);
  shareResponseCache(*next, previous);
  shareRedisCache(*next, previous);
  carryOverDeploymentStates(*next, previous);
  shareCounters(*next, previous);
  return std::shared_ptr<const Snapshot>(std::move(next));
}

Result<void> RuntimeBuilder::startTelemetry(TelemetrySettings& settings) {
  // Applied to the snapshot's own settings, so that they say where its lines go.
  if (accessLogOverride_) {
    settings.accessLog = accessLogOverride_->where;
    settings.accessLogPath = accessLogOverride_->path;
  }
  if (!telemetry_) {
    auto started = TelemetrySinks::start(settings);
    if (!started) return started.error();
    telemetry_ = std::move(*started);
  } else if (auto reloaded = telemetry_->reload(settings); !reloaded) {
    logError(reloaded.error().message + "; keeping the running telemetry outputs");
  }
  return {};
}

}  // namespace switchyard
