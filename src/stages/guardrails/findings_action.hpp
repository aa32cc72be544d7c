#pragma once
// What a guardrail's findings in one text come to: a block (by the first blocking rule), or the
// text rewritten with masks and redactions, or findings only counted (LOG, logging_only).
// Shared by the request side and the answer side.

#include <span>
#include <string>
#include <string_view>

#include "api/request.hpp"
#include "stages/guardrails/detector.hpp"
#include "stages/guardrails/guardrail_run.hpp"

namespace switchyard::guardrails {

struct Verdict {
  const CompiledRule* blockedBy = nullptr;
  uint32_t masked = 0;  // masked or redacted
  uint32_t logged = 0;
  std::string rules;  // the rules that fired, comma-separated
};

struct ApplyOptions {
  bool observeOnly = false;  // logging_only: nothing is blocked or changed
  // MASK makes numbered placeholders recorded in `run` (output_parse_pii on input), else tags.
  GuardrailRun* restoreWith = nullptr;
};

// Writes the rewritten text to `out` when something was masked (verdict.masked > 0).
Verdict applyFindings(const CompiledGuardrail& g, std::string_view text,
                      std::span<const Finding> findings, const ApplyOptions& options,
                      std::string& out);

// LiteLLM's words: "Content blocked: us_ssn pattern detected",
// "Content blocked: keyword 'x' detected (description)". Names the rule, never the text.
std::string blockMessage(const CompiledRule& rule);
// The 400 body for a blocked request in the client's format. OpenAI: LiteLLM's
// {"error":{"message":{"error":..,"pattern"|"keyword":..,"guardrail":..,"category":..},
// "type":..,"param":null,"code":"400"}}; Anthropic: its error envelope with the same message.
std::string blockBody(InboundFormat format, const CompiledGuardrail& g, const CompiledRule& rule);
// The same refusal as an Error, for an answer that is blocked (whole, or mid-stream).
Error blockError(const CompiledGuardrail& g, const CompiledRule& rule);

}  // namespace switchyard::guardrails
