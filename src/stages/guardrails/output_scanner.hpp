#pragma once
// The answer-side guardrails over one stream of text (one choice's content, one tool call's
// arguments): each piece is scanned together with the tail held back from the last one, and
// only text no finding could still reach is released, masked where a rule says so. What is
// held back is bounded: kHoldBack bytes after the last finding, or the finding still growing
// at the end (up to kMaxHeld, after which it is released as it stands).

#include <string>
#include <string_view>
#include <vector>

#include "stages/guardrails/findings_action.hpp"
#include "stages/guardrails/guardrail_run.hpp"

namespace switchyard::guardrails {

class OutputScanner {
 public:
  static constexpr size_t kHoldBack = 64;
  static constexpr size_t kMaxHeld = 16 * 1024;

  OutputScanner(const std::vector<const CompiledGuardrail*>& guardrails, GuardrailRun& run)
      : guardrails_(guardrails), run_(run) {}

  struct Block {
    const CompiledGuardrail* guardrail = nullptr;
    const CompiledRule* rule = nullptr;
  };
  // Appends what may be sent now to `out`; a block when a rule blocks (nothing more may go).
  Block feed(std::string_view piece, std::string& out) { return step(piece, false, out); }
  // The end of this text: everything held back is decided and released.
  Block flush(std::string& out) { return step({}, true, out); }
  size_t held() const { return pending_.size(); }

 private:
  Block step(std::string_view piece, bool final, std::string& out);

  const std::vector<const CompiledGuardrail*>& guardrails_;
  GuardrailRun& run_;
  std::string pending_;
  std::vector<Finding> findings_;
  std::string rewritten_;
};

}  // namespace switchyard::guardrails
