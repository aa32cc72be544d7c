#pragma once
// The guardrails stage (docs/guardrails.md): picks the guardrails a request runs (default_on ones
// and those it names in `guardrails` or `metadata.guardrails`), checks the request's texts with
// the input-side ones (block, mask, redact, log), and watches the answer when placeholders must
// be restored or answer-side guardrails run. A request of a config without guardrails costs a
// pointer test; one without findings keeps its body's bytes (the pass-through stays possible).

#include "stages/stage.hpp"

namespace switchyard {

class GuardrailStage : public Stage {
 public:
  std::string_view name() const override { return "guardrails"; }
  Outcome pre(RequestContext& ctx) override;
  bool actsOn(const Snapshot& s) const override;
  bool watchesAnswer() const override { return true; }
  bool watchesAnswerOf(const RequestContext& ctx) const override;
  std::unique_ptr<AnswerFilter> filterAnswer(RequestContext& ctx) override;
};

}  // namespace switchyard
