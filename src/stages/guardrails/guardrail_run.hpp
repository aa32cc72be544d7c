#pragma once
// What the guardrails did to one request (RequestContext::guardrails): the placeholders its
// input was masked with (restored in the answer), the guardrails still to run on the answer,
// and a report per guardrail for spend logs, spans and metrics. Never holds a matched value
// except as a placeholder's original, which only goes back to the same client.

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "stages/guardrails/guardrail_set.hpp"

namespace switchyard {

struct GuardrailReport {
  std::string guardrail;
  std::string_view phase;   // "input" or "output"
  std::string_view action;  // "passed", "masked", "blocked", "logged"
  std::string rules;        // the rules that fired, comma-separated (pattern names, never values)
  uint32_t findings = 0;
};

struct GuardrailRun {
  // placeholder → original value, in the order they were made.
  std::vector<std::pair<std::string, std::string>> placeholders;
  std::vector<const CompiledGuardrail*> output;  // post_call / during_call guardrails
  std::vector<GuardrailReport> reports;

  // The placeholder for `original` under `label`: the same one for the same value.
  const std::string& placeholderFor(std::string_view label, std::string_view original);
  // "name:phase:action[:rules]" per report, ';'-separated: the spend-log / span value.
  std::string summary() const;
  // The strongest action of all reports ("blocked" over "masked" over "logged" over "passed"):
  // the access log's and live log's one-word outcome. "passed" when no report was made.
  std::string_view outcome() const;
  void report(const CompiledGuardrail& g, std::string_view phase, std::string_view action,
              std::string_view rule, uint32_t findings);
};

}  // namespace switchyard
