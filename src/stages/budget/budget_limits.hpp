#pragma once
// Budgets and rate limits of a virtual key, its user and its team: checked and reserved before
// the upstream call from an estimate, settled after it with the real cost (governance/registry).

#include "governance/registry.hpp"
#include "stages/stage.hpp"

namespace switchyard {

class BudgetLimits : public Stage {
 public:
  std::string_view name() const override { return "budget"; }
  Outcome pre(RequestContext& ctx) override;
  bool actsOn(const Snapshot& s) const override { return s.governanceService != nullptr; }
  // With counters shared across instances (Redis), admission may wait for a share of an rpm
  // limit: once per share, never per request.
  bool waitsFor(const Snapshot& s) const override;
  Task<Outcome> preAsync(RequestContext& ctx) override;
  void post(RequestContext& ctx) override;

 private:
  static constexpr int kLeaseRounds = 4;
  static Outcome admitted(RequestContext& ctx, Result<Ticket> ticket, double estimate);
};

// The most this request may cost before it runs: its prompt at ~4 bytes a token plus max_tokens
// (or default_output_tokens) of completion, at the model group's price. 0 when unpriced.
double estimateCostUsd(const RequestContext& ctx, int64_t defaultOutputTokens);

}  // namespace switchyard
