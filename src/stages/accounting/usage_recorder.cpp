#include "stages/accounting/usage_recorder.hpp"

#include <boost/json/serialize.hpp>

#include "governance/governance.hpp"
#include "stages/accounting/request_cost.hpp"
#include "stages/cache/cache_lookup.hpp"

namespace switchyard {

namespace {

int64_t unixMsAt(std::chrono::steady_clock::time_point t) {
  const auto sinceNow = t - std::chrono::steady_clock::now();
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             (std::chrono::system_clock::now() + sinceNow).time_since_epoch())
      .count();
}

// The spend-log row of a request that reached an upstream or was answered from the cache.
SpendLogRow spendRow(const RequestContext& ctx, bool withBody) {
  SpendLogRow r;
  r.requestId = ctx.requestId;
  r.keyId = ctx.keyId;
  r.keyAlias = ctx.keyAlias;
  r.teamId = ctx.teamId;
  r.userId = ctx.userId;
  r.endUser = ctx.endUserId;
  const CachedAnswer* hit = ctx.cache ? ctx.cache->hit.get() : nullptr;
  if (hit) {
    r.model = hit->model;
    r.deployment = hit->deployment;
    r.provider = hit->provider;
    r.cacheHit = true;
    r.savedUsd = hit->costUsd - ctx.costUsd;
  } else {
    r.model = ctx.deployment->upstreamModel;
    r.deployment = ctx.deployment->id;
    r.provider = ctx.deployment->provider;
  }
  r.modelGroup = ctx.modelGroup.empty() ? ctx.request.model : ctx.modelGroup;
  r.startMs = unixMsAt(ctx.start);
  r.endMs = unixMsAt(std::chrono::steady_clock::now());
  r.promptTokens = ctx.usage.promptTokens;
  r.completionTokens = ctx.usage.completionTokens;
  r.totalTokens = ctx.usage.totalTokens;
  r.cachedTokens = ctx.usage.cachedPromptTokens;
  r.cacheWriteTokens = ctx.usage.cacheWriteTokens;
  r.reasoningTokens = ctx.usage.reasoningTokens;
  r.spend = ctx.costUsd;
  r.costKnown = ctx.costKnown;
  r.status = ctx.status;
  r.stream = ctx.streamed;
  if (ctx.firstToken.time_since_epoch().count() != 0) {
    r.ttftMs =
        std::chrono::duration_cast<std::chrono::milliseconds>(ctx.firstToken - ctx.start).count();
  }
  if (withBody) r.requestBody = boost::json::serialize(ctx.request.body());
  return r;
}

}  // namespace

void UsageRecorder::post(RequestContext& ctx) {
  // Whole answers were costed before their headers went out; streams only now.
  if (!ctx.costKnown) computeCost(ctx);
  const bool cacheHit = ctx.cache && ctx.cache->hit;
  if (Governance* g = ctx.snapshot->governanceService.get(); g && (ctx.deployment || cacheHit)) {
    g->writer().record(spendRow(ctx, ctx.snapshot->governance.storeBodies));
  }
}

}  // namespace switchyard
