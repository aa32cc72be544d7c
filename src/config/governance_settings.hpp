#pragma once
// Settings of virtual keys, budgets and spend logging (docs/governance.md).

#include <chrono>
#include <optional>
#include <string>

namespace switchyard {

// How a request is admitted against a max_budget (switchyard_settings.budget_admission).
enum class BudgetAdmission {
  // LiteLLM's rule: admitted while spend + in-flight reservations are under the budget, so the
  // request that crosses the line is served and the next is refused.
  kUnderBudget,
  // The request's own estimate must fit too: no request may cross the line by its estimate.
  kStrict,
};

struct GovernanceSettings {
  // general_settings.model_prices_path: a LiteLLM-shaped price file replacing the built-in one.
  std::string modelPricesPath;
  // general_settings.store_prompts_in_spend_logs: keep request/response bodies in spend logs.
  bool storeBodies = false;
  // general_settings.disable_spend_logs: no per-request rows; budgets and rollups still count.
  bool disableSpendLogs = false;
  // general_settings.maximum_spend_logs_retention_period ("7d"): older rows are deleted; 0 keeps.
  std::chrono::milliseconds spendLogsRetention{0};
  // general_settings.maximum_spend_logs_retention_interval: how often the retention job runs
  // (LiteLLM's default: daily).
  std::chrono::milliseconds spendLogsRetentionInterval{std::chrono::hours(24)};
  // switchyard_settings.spend_logs_max_rows: the oldest rows beyond this many are deleted.
  int64_t spendLogsMaxRows = 0;
  // switchyard_settings.spend_flush_interval: the batch writer's window; what kill -9 can lose.
  std::chrono::milliseconds flushInterval{100};
  // switchyard_settings.store_refresh_interval: how often keys, teams, users and their spend are
  // re-read from the store (other instances and the CLI write there too).
  std::chrono::milliseconds refreshInterval{5000};
  // switchyard_settings.default_output_tokens: the completion size reserved against budgets for
  // a request that sets no max_tokens.
  int64_t defaultOutputTokens = 1024;
  BudgetAdmission budgetAdmission = BudgetAdmission::kUnderBudget;
  // litellm_settings.max_end_user_budget: the max_budget (USD) of every end user (the request's
  // `user`) that has none of its own (/customer/new sets one).
  std::optional<double> maxEndUserBudget;
  // litellm_settings.disable_end_user_cost_tracking: a request's `user` is neither tracked nor
  // checked (no end-user records, spend or budgets).
  bool trackEndUsers = true;
};

}  // namespace switchyard
