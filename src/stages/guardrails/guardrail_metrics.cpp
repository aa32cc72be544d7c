#include "stages/guardrails/guardrail_metrics.hpp"

#include "stages/guardrails/guardrail_set.hpp"

namespace switchyard {

MetricsCollector guardrailCollector(const SnapshotSource& source) {
  return [&source](PrometheusWriter& w) {
    const auto snapshot = source.get();
    if (!snapshot || !snapshot->guardrailSet || snapshot->guardrailSet->guardrails.empty()) return;
    const auto& all = snapshot->guardrailSet->guardrails;
    struct Family {
      const char* name;
      const char* help;
      const std::atomic<uint64_t> GuardrailCounters::*counter;
    };
    static constexpr Family kFamilies[] = {
        {"switchyard_guardrail_checked_total",
         "Requests or answers a guardrail looked at, by guardrail.", &GuardrailCounters::checked},
        {"switchyard_guardrail_blocked_total", "Requests or answers a guardrail blocked.",
         &GuardrailCounters::blocked},
        {"switchyard_guardrail_masked_total", "Values a guardrail masked or redacted.",
         &GuardrailCounters::masked},
        {"switchyard_guardrail_logged_total",
         "Findings a guardrail only recorded (LOG action, logging_only mode).",
         &GuardrailCounters::logged},
    };
    for (const auto& f : kFamilies) {
      w.family(f.name, PrometheusWriter::Type::kCounter, f.help);
      for (const auto& g : all) {
        w.sample(f.name, {{"guardrail", g.spec.name}},
                 (g.counters.*f.counter).load(std::memory_order_relaxed));
      }
    }
  };
}

}  // namespace switchyard
