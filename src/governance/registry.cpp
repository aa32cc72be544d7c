#include "governance/registry.hpp"

#include <algorithm>
#include <cstdio>

#include "core/log.hpp"
#include "store/redis/shared_counters.hpp"

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

// The refusal when `p` may not take a request estimated at `estimateUsd` under `mode`, given what
// it has spent and what its requests in flight hold (across instances when they share counters);
// the message states only what is true: what was spent, what requests in flight hold, and
// (strict) the estimate that would not fit.
std::optional<Error> overBudget(const Principal& p, double spend, double reserved, int64_t inFlight,
                                double limit, double estimateUsd, BudgetAdmission mode) {
  const double committed = spend + reserved;
  const bool strict = mode == BudgetAdmission::kStrict;
  if (committed < limit && (!strict || committed + estimateUsd <= limit)) return std::nullopt;
  std::string what =
      nameOf(p) + " has spent " + usd(spend) + " USD of its max_budget " + usd(limit) + " USD";
  if (reserved > 0) {
    what += ", and " + std::to_string(inFlight) + " request" +
            (inFlight == 1 ? " in flight holds " : "s in flight hold ") + usd(reserved) +
            " USD more";
  }
  if (committed < limit) {  // strict, and only the estimate does not fit
    what += "; this request is estimated at up to " + usd(estimateUsd) +
            " USD, which would pass the budget (budget_admission: strict)";
  }
  return Error::make(ErrorClass::kBadRequest, "Budget has been exceeded: " + what + ".", {},
                     "budget_exceeded");
}

Error rateLimited(const Principal& p, const std::string& what, int64_t nowMs) {
  Error e = Error::make(ErrorClass::kRateLimited,
                        "Rate limit exceeded for " + nameOf(p) + ": " + what + ".", {},
                        "rate_limit_exceeded");
  e.retryAfterSeconds = static_cast<int>(60 - (nowMs / 1000) % 60);
  return e;
}

// The names a principal's values have in the shared counters ("rpm:key:<id>").
std::string sharedName(std::string_view what, const Principal& p) {
  std::string n(what);
  n.append(":").append(kindName(p.kind)).append(":").append(p.id);
  return n;
}

constexpr std::chrono::milliseconds kMinuteTtl{120'000};

// How long a budget period's total is kept: the period and a day (0: for all time).
std::chrono::milliseconds periodTtl(const Principal& p, int64_t nowMs) {
  if (p.budgetResetAt <= 0) return std::chrono::milliseconds(0);
  return std::chrono::milliseconds(std::max<int64_t>(0, p.budgetResetAt - nowMs) + 86'400'000);
}

}  // namespace

void Registry::load(std::vector<Principal> records) {
  std::lock_guard lock(mutex_);
  Table fresh[kPrincipalKinds];
  Table& freshEndUsers = fresh[static_cast<int>(PrincipalKind::kEndUser)];
  for (auto& r : records) {
    // End users that only track spend count against the cap; those an admin gave a budget, a
    // limit or a block always load.
    if (r.kind == PrincipalKind::kEndUser && freshEndUsers.size() >= kMaxEndUsers && !r.maxBudget &&
        !r.blocked && !r.rpmLimit && !r.tpmLimit && !r.maxParallelRequests) {
      continue;
    }
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
  // An end user first seen since the last write is not in the store yet: it keeps what its
  // requests in flight hold and what it spent.
  for (auto& [id, l] : table(PrincipalKind::kEndUser)) {
    if ((l.inFlight > 0 || l.unflushed > 0) && freshEndUsers.size() < kMaxEndUsers) {
      freshEndUsers.try_emplace(id, std::move(l));
    }
  }
  for (int i = 0; i < kPrincipalKinds; ++i) tables_[i].swap(fresh[i]);
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

Registry::Live* Registry::endUserLive(std::string_view id, int64_t nowMs) {
  Table& t = table(PrincipalKind::kEndUser);
  if (auto it = t.find(std::string(id)); it != t.end()) return &it->second;
  if (t.size() >= kMaxEndUsers) return nullptr;
  Live& l = t[std::string(id)];
  l.record.kind = PrincipalKind::kEndUser;
  l.record.id = std::string(id);
  l.record.createdAt = nowMs;
  l.record.updatedAt = nowMs;
  return &l;
}

std::optional<Error> Registry::check(Live& l, std::string_view model, double estimateUsd,
                                     int64_t nowMs, BudgetAdmission mode, SharedCounters* shared,
                                     std::optional<double> defaultBudget) {
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
  // Shared through Redis: what every instance spent, holds and used; Redis down: this instance's
  // own counts against its share of each limit.
  const bool sharing = shared && shared->sharing();
  auto share = [&](int64_t limit) {
    return shared && !sharing ? shared->fallbackLimit(limit) : limit;
  };
  if (const auto budget = p.maxBudget ? p.maxBudget : defaultBudget) {
    double spend = p.spend;
    double reserved = l.reserved;
    if (sharing) {
      spend = std::max(spend,
                       shared->total(sharedName("spend", p), p.budgetResetAt, periodTtl(p, nowMs)));
      reserved = std::max(reserved, shared->level(sharedName("reserved", p)));
    }
    if (auto refused = overBudget(p, spend, reserved, l.inFlight, *budget, estimateUsd, mode)) {
      return refused;
    }
  }
  const int64_t minute = nowMs / 60'000;
  if (l.minute != minute) {
    l.minute = minute;
    l.minuteRequests = 0;
    l.minuteTokens = 0;
  }
  if (p.maxParallelRequests) {
    int64_t inFlight = l.inFlight;
    if (sharing) {
      inFlight = std::max<int64_t>(
          inFlight, static_cast<int64_t>(shared->level(sharedName("inflight", p)) + 0.5));
    }
    if (const int64_t limit = share(*p.maxParallelRequests); inFlight >= limit) {
      Error e = rateLimited(
          p, "max_parallel_requests " + std::to_string(limit) + " requests already in flight",
          nowMs);
      e.retryAfterSeconds = 1;
      return e;
    }
  }
  // With shared counters, rpm is a lease taken in admit().
  if (p.rpmLimit && !shared && l.minuteRequests >= *p.rpmLimit) {
    return rateLimited(p, "rpm_limit " + std::to_string(*p.rpmLimit) + " requests this minute",
                       nowMs);
  }
  if (p.tpmLimit) {
    int64_t tokens = l.minuteTokens;
    if (sharing) {
      tokens = std::max<int64_t>(
          tokens, static_cast<int64_t>(shared->total(sharedName("tpm", p), minute, kMinuteTtl)));
    }
    if (const int64_t limit = share(*p.tpmLimit); tokens >= limit) {
      return rateLimited(p, "tpm_limit " + std::to_string(limit) + " tokens this minute", nowMs);
    }
  }
  return std::nullopt;
}

Result<Ticket> Registry::admit(const std::string& keyId, std::string_view model, double estimateUsd,
                               int64_t nowMs, BudgetAdmission mode, SharedCounters* shared,
                               std::string* waitLease, const EndUser* endUser) {
  std::lock_guard lock(mutex_);
  Live* key = nullptr;
  Live* user = nullptr;
  Live* team = nullptr;
  if (!keyId.empty()) {
    key = live(PrincipalKind::kKey, keyId);
    if (!key) return unauthorized("invalid API key.", "invalid_api_key");
    user = live(PrincipalKind::kUser, key->record.userId);
    team = live(PrincipalKind::kTeam, key->record.teamId);
  }
  Live* customer = endUser && !endUser->id.empty() ? endUserLive(endUser->id, nowMs) : nullptr;
  const std::initializer_list<Live*> all = {key, user, team, customer};
  for (Live* l : all) {
    if (!l) continue;
    const auto defaultBudget = l == customer ? endUser->defaultBudget : std::nullopt;
    if (auto denied = check(*l, model, estimateUsd, nowMs, mode, shared, defaultBudget)) {
      return *denied;
    }
  }
  if (shared) {
    // One unit of each rpm lease, all or none.
    const int64_t minute = nowMs / 60'000;
    std::vector<std::string> taken;
    auto undo = [&] {
      for (const auto& name : taken) shared->giveBack(name, minute);
    };
    for (Live* l : all) {
      if (!l || !l->record.rpmLimit) continue;
      std::string name = sharedName("rpm", l->record);
      const int64_t limit = *l->record.rpmLimit;
      const auto took = shared->take(name, limit, minute);
      if (took == SharedCounters::Take::kTaken) {
        taken.push_back(std::move(name));
        continue;
      }
      undo();
      if (took == SharedCounters::Take::kWait && waitLease) {
        *waitLease = std::move(name);
        return Error::make(ErrorClass::kUnavailable, "waiting for a share of the rpm limit");
      }
      const int64_t shown = shared->sharing() ? limit : shared->fallbackLimit(limit);
      return rateLimited(l->record, "rpm_limit " + std::to_string(shown) + " requests this minute",
                         nowMs);
    }
  }
  for (Live* l : all) {
    if (!l) continue;
    l->reserved += estimateUsd;
    ++l->inFlight;
    ++l->minuteRequests;
    if (shared) {
      shared->adjust(sharedName("reserved", l->record), estimateUsd);
      shared->adjust(sharedName("inflight", l->record), 1);
    }
  }
  Ticket t;
  t.keyId = keyId;
  if (key) {
    t.keyAlias = key->record.alias;
    t.teamId = key->record.teamId;
    t.userId = key->record.userId;
  }
  if (customer) t.endUserId = customer->record.id;
  t.reservedUsd = estimateUsd;
  return t;
}

void Registry::settle(const Ticket& t, double costUsd, int64_t tokens, SharedCounters* shared,
                      int64_t nowMs) {
  std::lock_guard lock(mutex_);
  for (auto [kind, id] :
       {std::pair{PrincipalKind::kKey, &t.keyId}, std::pair{PrincipalKind::kUser, &t.userId},
        std::pair{PrincipalKind::kTeam, &t.teamId},
        std::pair{PrincipalKind::kEndUser, &t.endUserId}}) {
    Live* l = live(kind, *id);
    if (!l) continue;  // deleted meanwhile
    l->reserved = std::max(0.0, l->reserved - t.reservedUsd);
    l->inFlight = std::max<int64_t>(0, l->inFlight - 1);
    l->minuteTokens += tokens;
    l->record.spend += costUsd;
    l->unflushed += costUsd;
    if (shared) {
      const Principal& p = l->record;
      shared->adjust(sharedName("reserved", p), -t.reservedUsd);
      shared->adjust(sharedName("inflight", p), -1);
      if (tokens > 0) shared->add(sharedName("tpm", p), nowMs / 60'000, tokens, kMinuteTtl);
      if (costUsd > 0) {
        shared->add(sharedName("spend", p), p.budgetResetAt, costUsd, periodTtl(p, nowMs));
      }
    }
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
