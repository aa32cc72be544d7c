// LiteLLM's guardrails list as its users write it.
#include <gtest/gtest.h>

#include "config/config_test_util.hpp"

namespace switchyard {
namespace {

using Sev = ConfigDiagnostic::Severity;

LoadResult load(const std::string& guardrails) {
  return loadConfigText(
      "model_list:\n  - model_name: m\n    litellm_params:\n"
      "      model: openai/gpt-4o\n      api_key: k\n" +
          guardrails,
      testing::mapEnvironment({}), "t.yaml");
}

TEST(GuardrailConfig, LiteLlmsContentFilterLoads) {
  auto r = load(R"(
guardrails:
  - guardrail_name: "custom-redaction"
    litellm_params:
      guardrail: litellm_content_filter
      mode: "pre_call"
      default_on: true
      pattern_redaction_format: "***{pattern_name}***"
      keyword_redaction_tag: "***REDACTED***"
      patterns:
        - pattern_type: "prebuilt"
          pattern_name: "email"
          action: "MASK"
        - pattern_type: "regex"
          pattern: 'PROJECT-\d{6}'
          name: "project_code"
          action: "BLOCK"
      blocked_words:
        - keyword: "confidential"
          action: "MASK"
          description: "Internal"
    guardrail_info:
      description: shown in the UI
)");
  ASSERT_TRUE(r.ok()) << testing::allDiagnostics(r);
  ASSERT_EQ(r.snapshot->guardrails.size(), 1u);
  const auto& g = r.snapshot->guardrails[0];
  EXPECT_EQ(g.name, "custom-redaction");
  EXPECT_TRUE(g.defaultOn);
  EXPECT_TRUE(g.has(GuardrailMode::kPreCall));
  EXPECT_EQ(g.patternRedactionFormat, "***{pattern_name}***");
  EXPECT_EQ(g.keywordRedactionTag, "***REDACTED***");
  ASSERT_EQ(g.rules.size(), 3u);
  EXPECT_EQ(g.rules[1].kind, GuardrailRule::Kind::kRegex);
  EXPECT_EQ(g.rules[1].name, "project_code");
  EXPECT_EQ(g.rules[2].kind, GuardrailRule::Kind::kKeyword);
  EXPECT_EQ(g.rules[2].action, GuardrailAction::kMask);
  EXPECT_EQ(testing::countErrors(r), 0u);
}

TEST(GuardrailConfig, ModesAndMistakesAreReportedWithTheirPaths) {
  auto r = load(R"(
guardrails:
  - guardrail_name: a
    litellm_params:
      guardrail: litellm_content_filter
      mode: [pre_call, post_call, sometimes]
      pattern_redaction_format: "[REDACTED]"
      patterns:
        - pattern_type: glob
          pattern: x
        - pattern_type: prebuilt
          pattern_name: email
          action: SHRED
)");
  EXPECT_FALSE(r.ok());
  EXPECT_TRUE(testing::hasDiagnostic(r, Sev::kError, "guardrails[0].litellm_params.mode[2]",
                                     "unknown mode"));
  EXPECT_TRUE(testing::hasDiagnostic(
      r, Sev::kError, "guardrails[0].litellm_params.pattern_redaction_format", "{pattern_name}"));
  EXPECT_TRUE(testing::hasDiagnostic(
      r, Sev::kError, "guardrails[0].litellm_params.patterns[0].pattern_type", "glob"));
  EXPECT_TRUE(testing::hasDiagnostic(r, Sev::kError,
                                     "guardrails[0].litellm_params.patterns[1].action", "SHRED"));
}

TEST(GuardrailConfig, OtherGuardrailTypesAreNotSilentlyTrusted) {
  auto warned = load(R"(
guardrails:
  - guardrail_name: aporia-pre
    litellm_params:
      guardrail: aporia
      mode: during_call
      api_key: os.environ/APORIA_KEY_1
)");
  EXPECT_TRUE(warned.ok());
  EXPECT_TRUE(testing::hasDiagnostic(warned, Sev::kWarning, "guardrails[0]", "not implemented"));
  EXPECT_FALSE(warned.snapshot->guardrails[0].supported);
  auto refused = load(R"(
guardrails:
  - guardrail_name: presidio
    litellm_params:
      guardrail: presidio
      mode: pre_call
      default_on: true
)");
  EXPECT_FALSE(refused.ok());
  EXPECT_TRUE(testing::hasDiagnostic(refused, Sev::kError, "guardrails[0]", "default_on"));
}

}  // namespace
}  // namespace switchyard
