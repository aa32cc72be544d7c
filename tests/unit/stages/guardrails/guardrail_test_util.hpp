#pragma once
// Shared by the guardrail tests: a config's guardrails compiled, the way the runtime builder
// does it, and a one-rule guardrail for the detector tests.

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "config/loader.hpp"
#include "config/snapshot.hpp"
#include "stages/guardrails/guardrail_set.hpp"

namespace switchyard::testing {

// The snapshot of `yaml` (a model_list is added) with its guardrails compiled.
inline std::shared_ptr<Snapshot> guardedSnapshot(const std::string& yaml) {
  auto r = loadConfigText(
      "model_list:\n  - model_name: m\n    litellm_params:\n"
      "      model: openai/gpt-4o\n      api_key: k\n" +
          yaml,
      [](std::string_view) { return std::nullopt; }, "test.yaml");
  EXPECT_TRUE(r.ok());
  if (!r.ok()) return nullptr;
  auto snap = std::make_shared<Snapshot>(*r.snapshot);
  auto set = compileGuardrails(snap->guardrails);
  EXPECT_TRUE(set.has_value()) << (set ? "" : set.error().message);
  if (set) snap->guardrailSet = *set;
  return snap;
}

// One pre_call guardrail named "g" with one prebuilt pattern and `action`.
inline std::shared_ptr<Snapshot> onePattern(const std::string& pattern,
                                            const std::string& action = "BLOCK") {
  return guardedSnapshot(R"(
guardrails:
  - guardrail_name: g
    litellm_params:
      guardrail: litellm_content_filter
      mode: pre_call
      default_on: true
      patterns:
        - pattern_type: prebuilt
          pattern_name: )" +
                         pattern + R"(
          action: )" + action +
                         "\n");
}

}  // namespace switchyard::testing
