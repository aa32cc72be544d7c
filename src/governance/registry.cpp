#include "governance/registry.hpp"

#include <algorithm>
#include <cstdio>

#include "core/log.hpp"

namespace switchyard {

namespace {

std::string usd(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6f", v);
  return buf;
}

std::string nameOf(const Principal& p) {
  std::string kind(kindName(p.kind));
  const std::string& shown = p.kind == PrincipalKind::kKey ? (p.alias.empty() ? p.keyName : p.alias)
                                                           : (p.alias.empty() ? p.id : p.alias);
  return kind + " '" + shown + "'";
}

bool allows(const std::vector<std::string>& models, std::string_view model) {
  if (models.empty()) return true;
  return std::any_of(models.begin(), models.end(), [&](const std::string& m) {
    return m == model || m == "*" || m == "all-proxy-models" ||
           (m.ends_with("/*") && model.starts_with(std::string_view(m).substr(0, m.size() - 1)));
  });
}

Error unauthorized(std::string message, std::string code) {
  return Error::make(ErrorClass::kUnauthorized, "Authentication Error: " + std::move(message), {},
                     std::move(code));
}

// The refusal when `l` may not take a request estimated at `estimateUsd` under `mode`; the message
// states only what is true: what was spent, what requests in flight hold, and (strict) the
// estimate that would not fit.
template <typename LiveRecord>
std::optional<Error> overBudget(const LiveRecord& l, double limit, double estimateUsd,
                                BudgetAdmission mode) {
  const Principal& p = l.record;
  const double committed = p.spend + l.reserved;
  const bool strict = mode == BudgetAdmission::kStrict;
  if (committed < limit && (!strict || committed + estimateUsd <= limit)) return std::nullopt;
  std::string what =
      nameOf(p) + " has spent " + usd(p.spend) + " USD of its max_budget " + usd(limit) + " USD";
  if (l.reserved > 0) {
    what += ", and " + std::to_string(l.inFlight) + " request" +
            (l.inFlight == 1 ? " in flight holds " : "s in flight hold ") + usd(l.reserved) +
            " USD more";
  }
  if (committed < limit) {  // strict, and only the estimate does not fit
    what += "; this request is estimated at up to " + usd(estimateUsd) +
            " USD, which would pass the budget (budget_admission: strict)";
  }
  return Error::make(ErrorClass::kBadRequest, "Budget has been exceeded: " + what + ".", {},
                     "budget_exceeded");
}

}  // namespace

void Registry::load(std::vector<Principal> records) {
  std::lock_guard lock(mutex_);
  Table fresh[3];
  for (auto& r : records) {
    Table& old = table(r.kind);
    Live l;
    if (auto it = old.find(r.id); it != old.end()) {
      l = std::move(it->second);
      // A reset this instance already made but has not written yet wins over the old row.
      if (l.record.budgetResetAt > r.budgetResetAt) {
        r.budgetResetAt = l.record.budgetResetAt;
        r.spend = 0;
      }
    }
    r.spend += l.unflushed;
    l.record = std::move(r);
    fresh[static_cast<int>(l.record.kind)].emplace(l.record.id, std::move(l));
  }
  for (int i = 0; i < 3; ++i) tables_[i].swap(fresh[i]);
}

void Registry::put(Principal p) {
  std::lock_guard lock(mutex_);
  Live& l = table(p.kind)[p.id];
  if (!l.record.id.empty()) p.spend = l.record.spend;
  l.record = std::move(p);
}

void Registry::erase(PrincipalKind kind, const std::string& id) {
  std::lock_guard lock(mutex_);
  table(kind).erase(id);
}

std::optional<Principal> Registry::find(PrincipalKind kind, const std::string& id) const {
  std::lock_guard lock(mutex_);
  const Table& t = table(kind);
  auto it = t.find(id);
  if (it == t.end()) return std::nullopt;
  return it->second.record;
}

bool Registry::knowsKey(const std::string& keyId) const {
  std::lock_guard lock(mutex_);
  return table(PrincipalKind::kKey).contains(keyId);
}

Registry::Live* Registry::live(PrincipalKind k, const std::string& id) {
  if (id.empty()) return nullptr;
  Table& t = table(k);
  auto it = t.find(id);
  return it == t.end() ? nullptr : &it->second;
}

std::optional<Error> Registry::check(Live& l, std::string_view model, double estimateUsd,
                                     int64_t nowMs, BudgetAdmission mode) {
  Principal& p = l.record;
  if (p.blocked) return unauthorized(nameOf(p) + " is blocked.", "key_blocked");
  if (p.kind == PrincipalKind::kKey && p.expiresAt > 0 && nowMs >= p.expiresAt) {
    return unauthorized(nameOf(p) + " has expired.", "expired_key");
  }
  if (!allows(p.models, model)) {
    return unauthorized(nameOf(p) + " is not allowed to call model '" + std::string(model) + "'.",
                        "key_model_access_denied");
  }
  if (!p.budgetDuration.empty() && p.budgetResetAt > 0 && nowMs >= p.budgetResetAt) {
    const int64_t period = parseBudgetDuration(p.budgetDuration).value_or(86'400'000);
    const int64_t previous = p.budgetResetAt;
    // Skip whole periods nobody used, so the schedule stays on its grid.
    p.budgetResetAt += ((nowMs - previous) / period + 1) * period;
    p.spend = 0;
    l.unflushed = 0;
    onReset_({p.kind, p.id, previous, p.budgetResetAt});
  }
  if (p.maxBudget) {
    if (auto refused = overBudget(l, *p.maxBudget, estimateUsd, mode)) return refused;
  }
  const int64_t minute = nowMs / 60'000;
  if (l.minute != minute) {
    l.minute = minute;
    l.minuteRequests = 0;
    l.minuteTokens = 0;
  }
  auto limited = [&](std::string what) {
    Error e = Error::make(ErrorClass::kRateLimited,
                          "Rate limit exceeded for " + nameOf(p) + ": " + what + ".", {},
                          "rate_limit_exceeded");
    e.retryAfterSeconds = static_cast<int>(60 - (nowMs / 1000) % 60);
    return e;
  };
  if (p.maxParallelRequests && l.inFlight >= *p.maxParallelRequests) {
    Error e = limited("max_parallel_requests " + std::to_string(*p.maxParallelRequests) +
                      " requests already in flight");
    e.retryAfterSeconds = 1;
    return e;
  }
  if (p.rpmLimit && l.minuteRequests >= *p.rpmLimit) {
    return limited("rpm_limit " + std::to_string(*p.rpmLimit) + " requests this minute");
  }
  if (p.tpmLimit && l.minuteTokens >= *p.tpmLimit) {
    return limited("tpm_limit " + std::to_string(*p.tpmLimit) + " tokens this minute");
  }
  return std::nullopt;
}

Result<Ticket> Registry::admit(const std::string& keyId, std::string_view model, double estimateUsd,
                               int64_t nowMs, BudgetAdmission mode) {
  std::lock_guard lock(mutex_);
  Live* key = live(PrincipalKind::kKey, keyId);
  if (!key) return unauthorized("invalid API key.", "invalid_api_key");
  Live* user = live(PrincipalKind::kUser, key->record.userId);
  Live* team = live(PrincipalKind::kTeam, key->record.teamId);
  for (Live* l : {key, user, team}) {
    if (!l) continue;
    if (auto denied = check(*l, model, estimateUsd, nowMs, mode)) return *denied;
  }
  for (Live* l : {key, user, team}) {
    if (!l) continue;
    l->reserved += estimateUsd;
    ++l->inFlight;
    ++l->minuteRequests;
  }
  return Ticket{keyId, key->record.alias, key->record.teamId, key->record.userId, estimateUsd};
}

void Registry::settle(const Ticket& t, double costUsd, int64_t tokens) {
  std::lock_guard lock(mutex_);
  for (auto [kind, id] :
       {std::pair{PrincipalKind::kKey, &t.keyId}, std::pair{PrincipalKind::kUser, &t.userId},
        std::pair{PrincipalKind::kTeam, &t.teamId}}) {
    Live* l = live(kind, *id);
    if (!l) continue;  // deleted meanwhile
    l->reserved = std::max(0.0, l->reserved - t.reservedUsd);
    l->inFlight = std::max<int64_t>(0, l->inFlight - 1);
    l->minuteTokens += tokens;
    l->record.spend += costUsd;
    l->unflushed += costUsd;
    const auto& soft = l->record.softBudget;
    if (soft && l->record.spend >= *soft && l->record.spend - costUsd < *soft) {
      logWarn(nameOf(l->record) + " passed its soft_budget of " + usd(*soft) + " USD");
    }
  }
}

void Registry::onFlushed(const std::vector<SpendDelta>& deltas) {
  std::lock_guard lock(mutex_);
  for (const auto& d : deltas) {
    if (Live* l = live(d.kind, d.id)) l->unflushed = std::max(0.0, l->unflushed - d.usd);
  }
}

}  // namespace switchyard
