// general_settings and switchyard_settings keys of the governance work
// (config/governance_settings.hpp).
#include "config/governance_settings.hpp"

#include "config/sections.hpp"

namespace switchyard::config_detail {

bool parseGovernanceSetting(std::string_view section, const std::string& key,
                            const YAML::Node& value, const std::string& path, Snapshot& snap,
                            ParseContext& ctx) {
  if (parseResponsesStoreSetting(section, key, value, path, snap, ctx)) return true;
  auto& g = snap.governance;
  if (section == "general_settings") {
    if (key == "model_prices_path") {
      if (auto p = readString(value, path, ctx)) g.modelPricesPath = *p;
      return true;
    }
    if (key == "store_prompts_in_spend_logs") {
      if (auto b = readBool(value, path, ctx)) g.storeBodies = *b;
      return true;
    }
    if (key == "disable_spend_logs") {
      if (auto b = readBool(value, path, ctx)) g.disableSpendLogs = *b;
      return true;
    }
    if (key == "maximum_spend_logs_retention_period") {
      if (auto d = readDuration(value, path, ctx)) g.spendLogsRetention = *d;
      return true;
    }
    if (key == "maximum_spend_logs_retention_interval") {
      if (auto d = readDuration(value, path, ctx)) g.spendLogsRetentionInterval = *d;
      return true;
    }
    return false;
  }
  if (key == "spend_flush_interval") {
    if (auto t = readSeconds(value, path, ctx)) {
      if (*t > std::chrono::seconds(10)) {
        ctx.error(path, "must be at most 10 seconds (it is what a crash can lose)");
      } else {
        g.flushInterval = std::max(*t, std::chrono::milliseconds(1));
      }
    }
    return true;
  }
  if (key == "spend_logs_max_rows") {
    if (auto n = readInteger(value, path, ctx, 1, int64_t{1} << 40)) g.spendLogsMaxRows = *n;
    return true;
  }
  if (key == "store_refresh_interval") {
    if (auto t = readSeconds(value, path, ctx)) g.refreshInterval = *t;
    return true;
  }
  if (key == "default_output_tokens") {
    if (auto n = readInteger(value, path, ctx, 1, 10'000'000)) g.defaultOutputTokens = *n;
    return true;
  }
  if (key == "budget_admission") {
    if (auto mode = readString(value, path, ctx)) {
      if (*mode == "litellm") {
        g.budgetAdmission = BudgetAdmission::kUnderBudget;
      } else if (*mode == "strict") {
        g.budgetAdmission = BudgetAdmission::kStrict;
      } else {
        ctx.error(path,
                  "must be 'litellm' (admit while spend is under max_budget) or 'strict' "
                  "(the request's estimate must fit too), not '" +
                      *mode + "'");
      }
    }
    return true;
  }
  return false;
}

}  // namespace switchyard::config_detail
