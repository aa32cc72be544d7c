#pragma once
// The config's guardrails compiled: per guardrail, its rules, one detector that runs them all
// over a text in one pass, and its counters. Built once per config (server/runtime_builder) and
// shared, read-only, by every request of that runtime.

#include <atomic>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "config/guardrail_settings.hpp"
#include "core/error.hpp"
#include "stages/guardrails/detector.hpp"

namespace switchyard {

struct CompiledRule {
  GuardrailRule rule;
  std::string label;     // the name in placeholders: EMAIL, US_SSN, KEYWORD
  std::string category;  // pii, secret, keyword, custom
  std::string tag;       // what MASK/REDACT writes when nothing is restored: [EMAIL_REDACTED]
};

// Counted by every worker: atomics, read at scrape time.
struct GuardrailCounters {
  std::atomic<uint64_t> checked{0};  // texts of a request or an answer it looked at
  std::atomic<uint64_t> blocked{0};
  std::atomic<uint64_t> masked{0};  // values masked or redacted
  std::atomic<uint64_t> logged{0};  // findings only recorded (LOG, logging_only)
};

struct CompiledGuardrail {
  GuardrailSpec spec;
  std::vector<CompiledRule> rules;  // a Finding's rule indexes this
  std::unique_ptr<guardrails::Detector> detector;
  mutable GuardrailCounters counters;
};

class GuardrailSet {
 public:
  std::deque<CompiledGuardrail> guardrails;  // config order (a deque: counters never move)

  const CompiledGuardrail* find(std::string_view name) const {
    for (const auto& g : guardrails) {
      if (g.spec.name == name) return &g;
    }
    return nullptr;
  }
  bool anyDefaultOn() const {
    for (const auto& g : guardrails) {
      if (g.spec.defaultOn) return true;
    }
    return false;
  }
};

// kBadRequest with the config path of an unknown pattern_name or an expression that does not
// compile.
Result<std::shared_ptr<const GuardrailSet>> compileGuardrails(
    const std::vector<GuardrailSpec>& specs);

}  // namespace switchyard
