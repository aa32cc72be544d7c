#include "stages/guardrails/output_scanner.hpp"

namespace switchyard::guardrails {

OutputScanner::Block OutputScanner::step(std::string_view piece, bool final, std::string& out) {
  pending_.append(piece);
  if (pending_.empty()) return {};
  size_t cut = pending_.size();
  if (!final && pending_.size() < kMaxHeld) {
    cut = pending_.size() > kHoldBack ? pending_.size() - kHoldBack : 0;
  }
  // Findings per guardrail on the whole pending text; the cut moves before any that crosses it
  // (it may grow with the next piece), until none does.
  std::vector<std::vector<Finding>> perGuardrail(guardrails_.size());
  for (size_t i = 0; i < guardrails_.size(); ++i) {
    guardrails_[i]->detector->scan(pending_, perGuardrail[i]);
  }
  if (cut < pending_.size() && pending_.size() < kMaxHeld) {
    for (bool moved = true; moved;) {
      moved = false;
      for (const auto& fs : perGuardrail) {
        for (const auto& f : fs) {
          if (f.begin < cut && f.end > cut) {
            cut = f.begin;
            moved = true;
          }
        }
      }
    }
  }
  if (cut == 0) return {};
  std::string released = pending_.substr(0, cut);
  pending_.erase(0, cut);
  for (size_t i = 0; i < guardrails_.size(); ++i) {
    const auto& g = *guardrails_[i];
    findings_.clear();
    for (const auto& f : perGuardrail[i]) {
      if (f.end <= cut) findings_.push_back(f);
    }
    // A text masked by an earlier guardrail has moved: the later ones look again at the result.
    if (i > 0) {
      findings_.clear();
      g.detector->scan(released, findings_);
    }
    if (findings_.empty()) continue;
    const auto v = applyFindings(g, released, findings_, ApplyOptions{}, rewritten_);
    if (v.blockedBy) {
      g.counters.blocked.fetch_add(1, std::memory_order_relaxed);
      run_.report(g, "output", "blocked", v.blockedBy->rule.name, 1);
      pending_.clear();
      return {&g, v.blockedBy};
    }
    if (v.masked > 0) {
      g.counters.masked.fetch_add(v.masked, std::memory_order_relaxed);
      run_.report(g, "output", "masked", v.rules, v.masked);
      released.swap(rewritten_);
    }
    if (v.logged > 0) {
      g.counters.logged.fetch_add(v.logged, std::memory_order_relaxed);
      run_.report(g, "output", "logged", v.rules, v.logged);
    }
  }
  out.append(released);
  return {};
}

}  // namespace switchyard::guardrails
