#include "stages/guardrails/guardrail_run.hpp"

namespace switchyard {

const std::string& GuardrailRun::placeholderFor(std::string_view label, std::string_view original) {
  size_t sameLabel = 0;
  const std::string prefix = "[" + std::string(label) + "_";
  for (const auto& [placeholder, value] : placeholders) {
    if (placeholder.compare(0, prefix.size(), prefix) != 0) continue;
    if (value == original) return placeholder;
    ++sameLabel;
  }
  placeholders.emplace_back(prefix + std::to_string(sameLabel + 1) + "]", std::string(original));
  return placeholders.back().first;
}

namespace {

// A stronger action wins: blocked over masked over logged over passed.
int rank(std::string_view a) {
  return a == "blocked" ? 3 : a == "masked" ? 2 : a == "logged" ? 1 : 0;
}

}  // namespace

void GuardrailRun::report(const CompiledGuardrail& g, std::string_view phase,
                          std::string_view action, std::string_view rule, uint32_t findings) {
  for (auto& r : reports) {
    if (r.guardrail != g.spec.name || r.phase != phase) continue;
    if (rank(action) > rank(r.action)) r.action = action;
    if (!rule.empty() && r.rules.find(rule) == std::string::npos) {
      if (!r.rules.empty()) r.rules += ",";
      r.rules += rule;
    }
    r.findings += findings;
    return;
  }
  reports.push_back({g.spec.name, phase, action, std::string(rule), findings});
}

std::string_view GuardrailRun::outcome() const {
  std::string_view best = "passed";
  for (const auto& r : reports) {
    if (rank(r.action) > rank(best)) best = r.action;
  }
  return best;
}

std::string GuardrailRun::summary() const {
  std::string out;
  for (const auto& r : reports) {
    if (!out.empty()) out += ";";
    out += r.guardrail;
    out += ":";
    out += r.phase;
    out += ":";
    out += r.action;
    if (!r.rules.empty()) {
      out += ":";
      out += r.rules;
    }
  }
  return out;
}

}  // namespace switchyard
