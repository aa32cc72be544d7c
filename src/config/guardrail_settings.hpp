#pragma once
// LiteLLM's `guardrails:` list as data (docs/guardrails.md): which guardrails exist, when they
// run and what they look for. Compiled into detectors when the config becomes the running one
// (stages/guardrails/guardrail_set.hpp), so that parsing stays free of the scanning library.

#include <cstdint>
#include <string>
#include <vector>

namespace switchyard {

// litellm_params.mode: one or several of these.
enum class GuardrailMode : uint8_t { kPreCall, kPostCall, kDuringCall, kLoggingOnly };

// What a rule does with what it finds. kMask is LiteLLM's MASK (a redaction tag, or a numbered
// placeholder restored in the answer when output_parse_pii is on); kRedact never restores.
enum class GuardrailAction : uint8_t { kBlock, kMask, kRedact, kLog };

struct GuardrailRule {
  enum class Kind : uint8_t { kPrebuilt, kRegex, kKeyword };
  Kind kind = Kind::kPrebuilt;
  std::string name;     // pattern_name, the regex's name, or the keyword itself
  std::string pattern;  // kRegex: the expression; kKeyword: the keyword
  GuardrailAction action = GuardrailAction::kBlock;
  std::string description;  // blocked_words[].description, quoted in LiteLLM's block message
  std::string path;         // where it was configured, for compile errors

  bool operator==(const GuardrailRule&) const = default;
};

struct GuardrailSpec {
  std::string name;       // guardrail_name
  std::string type;       // litellm_params.guardrail
  bool supported = true;  // a type this gateway implements (litellm_content_filter)
  std::vector<GuardrailMode> modes;
  bool defaultOn = false;
  std::vector<GuardrailRule> rules;
  // LiteLLM's defaults: "[EMAIL_REDACTED]" for patterns, one tag for every keyword.
  std::string patternRedactionFormat = "[{pattern_name}_REDACTED]";
  std::string keywordRedactionTag = "[KEYWORD_REDACTED]";
  // output_parse_pii (LiteLLM's Presidio key): MASK uses numbered placeholders ([EMAIL_1]) and
  // the answer gets the original values back.
  bool restoreInAnswer = false;
  std::string path;

  bool operator==(const GuardrailSpec&) const = default;
  bool has(GuardrailMode m) const {
    for (auto x : modes) {
      if (x == m) return true;
    }
    return false;
  }
  // Whether it looks at the request (pre_call, during_call, logging_only) or the answer
  // (post_call, and during_call, which LiteLLM's content filter applies to stream chunks).
  bool checksInput() const {
    return has(GuardrailMode::kPreCall) || has(GuardrailMode::kDuringCall) ||
           has(GuardrailMode::kLoggingOnly);
  }
  bool checksOutput() const {
    return has(GuardrailMode::kPostCall) || has(GuardrailMode::kDuringCall);
  }
};

}  // namespace switchyard
