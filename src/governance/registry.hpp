#pragma once
// Keys, teams and users with their live counters, in memory: the request path checks and
// reserves here under one short lock and never touches the database.
//
// Budget admission (config/governance_settings.hpp, BudgetAdmission). Every admitted request
// reserves its estimate at once and holds it until it settles, so requests in flight count
// against each max_budget in both modes:
// - under budget (LiteLLM's rule, the default): admitted while spend + reserved < max_budget.
//   A sequential user gets exactly LiteLLM's behaviour (the request that crosses the line is
//   served, the next is refused); concurrent requests cannot multiply the overshoot, because
//   the first one's reservation already fills the budget for the others.
// - strict: spend + reserved + this request's estimate must stay within max_budget, so what can
//   pass a budget is only an admitted request's cost beyond its estimate (a completion longer
//   than max_tokens / default_output_tokens, or a prompt under-counted at ~4 bytes a token).
// See docs/governance.md.

#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "config/governance_settings.hpp"
#include "core/litellm_duration.hpp"
#include "store/store.hpp"

namespace switchyard {

class SharedCounters;

// What one admitted request holds until it settles.
struct Ticket {
  std::string keyId;
  std::string keyAlias;
  std::string teamId;
  std::string userId;
  std::string endUserId;
  double reservedUsd = 0.0;
};

// The end user a request names (its body's `user`), checked like a key's user: blocked, budget,
// rpm/tpm. An end user the registry has not seen is created on first use, as LiteLLM upserts
// its customers; `defaultBudget` (litellm_settings.max_end_user_budget) is the budget of those
// without their own.
struct EndUser {
  std::string_view id;
  std::optional<double> defaultBudget;
};

class Registry {
 public:
  using OnReset = std::function<void(const BudgetReset&)>;
  explicit Registry(OnReset onReset) : onReset_(std::move(onReset)) {}

  // Replaces the records with the store's (at start and on every refresh). Live counters stay;
  // spend becomes the stored spend plus what this instance has not written yet.
  void load(std::vector<Principal> records);
  void put(Principal p);  // created or updated through the admin API: spend is kept
  void erase(PrincipalKind kind, const std::string& id);
  // The record as the gateway sees it now (spend including unwritten increments).
  std::optional<Principal> find(PrincipalKind kind, const std::string& id) const;
  bool knowsKey(const std::string& keyId) const;

  // Checks the key and its user and team, and the end user when given (blocked, expiry, models,
  // budgets by `mode`, rpm/tpm, parallel requests) and reserves `estimateUsd` against every
  // budget. An empty keyId (a master-key request) checks the end user alone. nowMs: unix ms.
  // With `shared` (several instances, store/redis/shared_counters.hpp), the limits and budgets
  // count what every instance did, and rpm is a lease: when this instance's share is empty and
  // its refill is on the way, the request is refused with `waitLease` set to the lease to
  // awaitLease() on before admitting it again.
  Result<Ticket> admit(const std::string& keyId, std::string_view model, double estimateUsd,
                       int64_t nowMs, BudgetAdmission mode = BudgetAdmission::kUnderBudget,
                       SharedCounters* shared = nullptr, std::string* waitLease = nullptr,
                       const EndUser* endUser = nullptr);
  // The request is over: release the reservation, add the real cost and tokens.
  void settle(const Ticket& t, double costUsd, int64_t tokens, SharedCounters* shared = nullptr,
              int64_t nowMs = 0);
  // Master-key and keyless requests are not admitted but their spend still counts for the
  // key's owner records when they have one (none today) and for /spend reports (store).
  void onFlushed(const std::vector<SpendDelta>& deltas);

 private:
  struct Live {
    Principal record;
    double unflushed = 0.0;  // settled here, not yet in the store
    double reserved = 0.0;
    int64_t inFlight = 0;
    int64_t minute = 0;  // rpm/tpm window: unix minute
    int64_t minuteRequests = 0;
    int64_t minuteTokens = 0;
  };
  using Table = std::unordered_map<std::string, Live>;
  Table& table(PrincipalKind k) { return tables_[static_cast<int>(k)]; }
  const Table& table(PrincipalKind k) const { return tables_[static_cast<int>(k)]; }
  Live* live(PrincipalKind k, const std::string& id);
  // The end user's record, created when unseen (nullptr when the table is full, see below).
  Live* endUserLive(std::string_view id, int64_t nowMs);
  std::optional<Error> check(Live& l, std::string_view what, double estimateUsd, int64_t nowMs,
                             BudgetAdmission mode, SharedCounters* shared,
                             std::optional<double> defaultBudget = std::nullopt);

  // End users come from request bodies: past this many the registry stops creating them in
  // memory (their spend is still written to the store, and the next refresh loads them), so a
  // client inventing a name per request cannot grow the process without bound.
  static constexpr size_t kMaxEndUsers = 200'000;

  mutable std::mutex mutex_;
  Table tables_[kPrincipalKinds];
  OnReset onReset_;
};

}  // namespace switchyard
