#include "stages/budget/budget_limits.hpp"

#include <chrono>

#include "governance/governance.hpp"
#include "stages/accounting/price_table.hpp"
#include "store/redis/shared_counters.hpp"

namespace switchyard {

namespace json = boost::json;

namespace {

// Bytes of text the model reads: every string in the prompt fields (roles and names included,
// which over-counts slightly, as an estimate for a budget should).
size_t promptBytes(const json::value& v) {
  if (v.is_string()) return v.get_string().size();
  size_t n = 0;
  if (v.is_array()) {
    for (const auto& e : v.get_array()) n += promptBytes(e) + 4;
  } else if (v.is_object()) {
    for (const auto& [k, e] : v.get_object()) n += promptBytes(e);
  }
  return n;
}

// The output the client allows, or `fallback`: max_completion_tokens first, then max_tokens.
int64_t maxOutputTokens(const SamplingParameters& p, int64_t fallback) {
  for (const RequestNumber* n : {&p.maxCompletionTokens, &p.maxTokens}) {
    if (n->type == RequestNumber::Type::kInt && n->i > 0) return n->i;
    if (n->type == RequestNumber::Type::kReal && n->d >= 1 && isWholeNumber(n->d)) {
      return static_cast<int64_t>(n->d);
    }
  }
  return fallback;
}

std::optional<ModelPrice> requestPrice(const RequestContext& ctx) {
  const Snapshot& s = *ctx.snapshot;
  if (auto it = s.groups.find(ctx.request.model); it != s.groups.end() && !it->second.empty()) {
    if (auto p = priceFor(*s.deployments[it->second.front()], s.prices.get())) return p;
  }
  if (const auto* p = s.prices ? s.prices->find(ctx.request.model) : nullptr) return *p;
  return std::nullopt;
}

// The end user the request names, when end users are tracked (nullopt: none).
std::optional<EndUser> endUserOf(const RequestContext& ctx) {
  const auto& g = ctx.snapshot->governance;
  if (!g.trackEndUsers || ctx.request.endUser.empty()) return std::nullopt;
  return EndUser{ctx.request.endUser, g.maxEndUserBudget};
}

int64_t unixMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

double estimateCostUsd(const RequestContext& ctx, int64_t defaultOutputTokens) {
  auto price = requestPrice(ctx);
  if (!price) return 0.0;
  size_t bytes = 0;
  for (std::string_view key : {"messages", "prompt", "input", "system", "tools"}) {
    if (const auto* v = ctx.request.body().if_contains(key)) bytes += promptBytes(*v);
  }
  Usage u;
  u.promptTokens = static_cast<int64_t>(bytes / 4 + 1);
  const Endpoint endpoint = ctx.request.endpoint;
  u.completionTokens = endpoint == Endpoint::kEmbeddings || forwardsAnswer(endpoint)
                           ? 0
                           : maxOutputTokens(ctx.request.parameters, defaultOutputTokens);
  // Media and ranking requests are estimated in their own units.
  u.images = ctx.request.units.images;
  u.characters = ctx.request.units.characters;
  u.seconds = ctx.request.units.audioSeconds;
  u.searchUnits = endpoint == Endpoint::kRerank ? 1.0 : 0.0;
  return costOf(*price, u);
}

Outcome BudgetLimits::pre(RequestContext& ctx) {
  Governance* g = ctx.snapshot->governanceService.get();
  const auto endUser = endUserOf(ctx);
  if (!g || (ctx.keyId.empty() && !endUser)) return Outcome::next();
  const double estimate = estimateCostUsd(ctx, ctx.snapshot->governance.defaultOutputTokens);
  auto ticket = g->registry().admit(ctx.keyId, ctx.request.model, estimate, unixMs(),
                                    ctx.snapshot->governance.budgetAdmission, nullptr, nullptr,
                                    endUser ? &*endUser : nullptr);
  return admitted(ctx, std::move(ticket), estimate);
}

bool BudgetLimits::waitsFor(const Snapshot& s) const {
  return s.sharedCounters && s.governanceService;
}

Task<Outcome> BudgetLimits::preAsync(RequestContext& ctx) {
  Governance* g = ctx.snapshot->governanceService.get();
  SharedCounters* shared = ctx.snapshot->sharedCounters.get();
  const auto endUser = endUserOf(ctx);
  if (!g || !shared || (ctx.keyId.empty() && !endUser)) co_return pre(ctx);
  const double estimate = estimateCostUsd(ctx, ctx.snapshot->governance.defaultOutputTokens);
  // A few rounds: each wait ends when a share came back (or Redis failed, after which the
  // per-instance limits answer at once); other requests may take the share first.
  for (int round = 0;; ++round) {
    std::string waitLease;
    auto ticket = g->registry().admit(
        ctx.keyId, ctx.request.model, estimate, unixMs(), ctx.snapshot->governance.budgetAdmission,
        shared, round < kLeaseRounds ? &waitLease : nullptr, endUser ? &*endUser : nullptr);
    if (waitLease.empty()) co_return admitted(ctx, std::move(ticket), estimate);
    co_await shared->awaitLease(waitLease);
  }
}

Outcome BudgetLimits::admitted(RequestContext& ctx, Result<Ticket> ticket, double estimate) {
  if (!ticket) return Outcome::fail(ticket.error());
  ctx.keyAlias = ticket->keyAlias;
  ctx.teamId = ticket->teamId;
  ctx.userId = ticket->userId;
  ctx.endUserId = ticket->endUserId;
  ctx.reservedUsd = estimate;
  ctx.admitted = true;
  return Outcome::next();
}

void BudgetLimits::post(RequestContext& ctx) {
  // The request's own snapshot: the instance that admitted it, even across a reload.
  Governance* g = ctx.snapshot->governanceService.get();
  if (!g || !ctx.admitted) return;
  g->registry().settle(
      Ticket{ctx.keyId, ctx.keyAlias, ctx.teamId, ctx.userId, ctx.endUserId, ctx.reservedUsd},
      ctx.costUsd, ctx.usage.totalTokens, ctx.snapshot->sharedCounters.get(), unixMs());
}

}  // namespace switchyard
