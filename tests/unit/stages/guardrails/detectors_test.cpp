// Each built-in detector with texts it must find and near misses it must not.
#include <gtest/gtest.h>

#include "stages/guardrails/guardrail_test_util.hpp"
#include "stages/guardrails/validators.hpp"

namespace switchyard {
namespace {

using guardrails::Finding;

// The substrings `pattern` finds in `text`.
std::vector<std::string> found(const std::string& pattern, const std::string& text) {
  auto snap = testing::onePattern(pattern);
  if (!snap) return {"<no config>"};
  std::vector<Finding> f;
  snap->guardrailSet->guardrails.front().detector->scan(text, f);
  std::vector<std::string> out;
  for (const auto& x : f) out.push_back(text.substr(x.begin, x.end - x.begin));
  return out;
}

using V = std::vector<std::string>;

TEST(GuardrailDetectors, EmailFindsAddressesNotHandles) {
  EXPECT_EQ(found("email", "write to john.doe+x@example.co.uk today"),
            V{"john.doe+x@example.co.uk"});
  EXPECT_EQ(found("email", "ping @john or user@localhost"), V{});
}

TEST(GuardrailDetectors, SsnWithValidation) {
  EXPECT_EQ(found("us_ssn", "My SSN is 123-45-6789."), V{"123-45-6789"});
  // Never issued: area 000, 666, 9xx; group 00; serial 0000.
  EXPECT_EQ(found("us_ssn", "000-12-3456 666-12-3456 912-34-5678 123-00-4567 123-45-0000"), V{});
  EXPECT_EQ(found("us_ssn", "part 1123-45-67890 of a number"), V{});
}

TEST(GuardrailDetectors, CardsAreLuhnChecked) {
  EXPECT_EQ(found("visa", "card 4111 1111 1111 1111 exp 12/28"), V{"4111 1111 1111 1111"});
  EXPECT_EQ(found("visa", "card 4111-1111-1111-1112"), V{});  // checksum off by one
  EXPECT_EQ(found("mastercard", "5555555555554444"), V{"5555555555554444"});
  EXPECT_EQ(found("mastercard", "5555555555554445"), V{});
  EXPECT_EQ(found("amex", "3782 822463 10005"), V{"3782 822463 10005"});
  EXPECT_EQ(found("credit_card", "a 6011111111111117 b 4012888888881881"),
            (V{"6011111111111117", "4012888888881881"}));
  EXPECT_EQ(found("credit_card", "order 4111111111111111111111 shipped"), V{});
}

TEST(GuardrailDetectors, IbanIsMod97Checked) {
  EXPECT_EQ(found("iban", "pay to GB82 WEST 1234 5698 7654 32 now"),
            V{"GB82 WEST 1234 5698 7654 32"});
  EXPECT_EQ(found("iban", "DE89370400440532013000"), V{"DE89370400440532013000"});
  EXPECT_EQ(found("iban", "GB82 WEST 1234 5698 7654 33"), V{});
}

TEST(GuardrailDetectors, Ipv4NotVersionStrings) {
  EXPECT_EQ(found("ipv4", "connect to 192.168.1.20 on port 22"), V{"192.168.1.20"});
  EXPECT_EQ(found("ipv4", "server=10.0.0.1"), V{"10.0.0.1"});
  EXPECT_EQ(found("ipv4", "version 1.2.3.4"), V{});
  EXPECT_EQ(found("ipv4", "upgrade to v2.10.3.1 or release 4.1.0.2"), V{});
  EXPECT_EQ(found("ipv4", "Chrome/120.0.6099.109 Safari"), V{});
  EXPECT_EQ(found("ipv4", "build 1.2.3.4.5 and 300.1.1.1"), V{});
}

TEST(GuardrailDetectors, Ipv6NotClockTimes) {
  EXPECT_EQ(found("ipv6", "host 2001:db8::8a2e:370:7334 up"), V{"2001:db8::8a2e:370:7334"});
  EXPECT_EQ(found("ipv6", "fe80:0:0:0:202:b3ff:fe1e:8329"), V{"fe80:0:0:0:202:b3ff:fe1e:8329"});
  EXPECT_EQ(found("ipv6", "at 12:30:45 the meeting"), V{});
}

TEST(GuardrailDetectors, PhoneNumbers) {
  EXPECT_EQ(found("phone", "call +14155552671 now"), V{"+14155552671"});
  EXPECT_EQ(found("phone", "call (415) 555-2671"), V{"(415) 555-2671"});
  EXPECT_EQ(found("phone", "or 415-555-2671."), V{"415-555-2671"});
  EXPECT_EQ(found("phone", "on 2024-01-15 at 10:30, 3 items"), V{});
}

TEST(GuardrailDetectors, CloudAndVendorKeys) {
  EXPECT_EQ(found("aws_access_key", "id AKIAIOSFODNN7EXAMPLE ok"), V{"AKIAIOSFODNN7EXAMPLE"});
  EXPECT_EQ(found("aws_access_key", "AKIAIOSFODNN7EXAMPL"), V{});
  EXPECT_EQ(found("aws_secret_key", "key wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
            V{"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"});
  // A git SHA is 40 characters too.
  EXPECT_EQ(found("aws_secret_key", "commit 9fceb02d0ae598e95dc970b74767f19372d61af8"), V{});
  EXPECT_EQ(found("github_token", "ghp_16C7e42F292c6912E7710c838347Ae178B4a"),
            V{"ghp_16C7e42F292c6912E7710c838347Ae178B4a"});
  EXPECT_EQ(found("github_token", "ghp_short"), V{});
  EXPECT_EQ(found("slack_token", "xoxb-1234567890-abcdefghijkl"),
            V{"xoxb-1234567890-abcdefghijkl"});
  EXPECT_EQ(found("gcp_api_key", "AIzaSyA1234567890abcdefghijklmnopqrstuv"),
            V{"AIzaSyA1234567890abcdefghijklmnopqrstuv"});
  EXPECT_EQ(found("openai_api_key", "sk-proj-abcdefghijklmnopqrstuvwxyz012345"),
            V{"sk-proj-abcdefghijklmnopqrstuvwxyz012345"});
  EXPECT_EQ(found("openai_api_key", "sk-ant-api03-abcdefghijklmnopqrstuvwxyz"), V{});
  EXPECT_EQ(found("anthropic_api_key", "sk-ant-api03-abcdefghijklmnopqrstuvwxyz"),
            V{"sk-ant-api03-abcdefghijklmnopqrstuvwxyz"});
  EXPECT_EQ(found("openai_api_key", "the task-list is long"), V{});
}

TEST(GuardrailDetectors, PrivateKeysAndJwts) {
  const std::string key =
      "-----BEGIN RSA PRIVATE "
      "KEY-----\nMIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu"
      "\nKUpRKfFLfRYC9AIKjbJTWit+CqvjWYzvQwECAwEAAQ==\n-----END RSA PRIVATE KEY-----";
  EXPECT_EQ(found("private_key", "here:\n" + key + "\nthanks"), V{key});
  EXPECT_EQ(found("private_key", "cut: -----BEGIN OPENSSH PRIVATE KEY-----\nb3Bl"),
            V{"-----BEGIN OPENSSH PRIVATE KEY-----"});
  EXPECT_EQ(found("private_key", "-----BEGIN PUBLIC KEY-----"), V{});
  const std::string jwt =
      "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_"
      "XgL0n3I9PlFUP0THsR8U";
  EXPECT_EQ(found("jwt", "Authorization: Bearer " + jwt), V{jwt});
  EXPECT_EQ(found("jwt", "eyJhbGciOiJIUzI1NiJ9 alone"), V{});
}

TEST(GuardrailDetectors, GenericSecretsNeedEntropy) {
  EXPECT_EQ(found("generic_secret", "password = 'Zx9kQ2mP7vL4nR8w'").size(), 1u);
  EXPECT_EQ(found("generic_secret", "password = aaaaaaaaaaaaaaaaaaaa"), V{});
}

TEST(GuardrailValidators, Checksums) {
  EXPECT_TRUE(guardrails::luhnValid("4111111111111111"));
  EXPECT_FALSE(guardrails::luhnValid("4111111111111112"));
  EXPECT_FALSE(guardrails::luhnValid("4111"));
  EXPECT_TRUE(guardrails::ibanValid("FR14 2004 1010 0505 0001 3M02 606"));
  EXPECT_FALSE(guardrails::ibanValid("FR14 2004 1010 0505 0001 3M02 607"));
  EXPECT_FALSE(guardrails::ibanValid("FR14"));
}

TEST(GuardrailDetectors, CustomRegexAndKeywords) {
  auto snap = testing::guardedSnapshot(R"(
guardrails:
  - guardrail_name: g
    litellm_params:
      guardrail: litellm_content_filter
      mode: pre_call
      patterns:
        - pattern_type: regex
          pattern: '\b[A-Z]{3}-\d{4}\b'
          name: employee_id
          action: MASK
      blocked_words:
        - keyword: Confidential
          action: BLOCK
        - keyword: "secret*project"
          action: MASK
)");
  ASSERT_TRUE(snap);
  const auto& g = snap->guardrailSet->guardrails.front();
  std::vector<Finding> f;
  const std::string text = "ABC-1234 is CONFIDENTIAL; the secret_project and secretproject";
  g.detector->scan(text, f);
  ASSERT_EQ(f.size(), 4u);
  EXPECT_EQ(g.rules[f[0].rule].rule.name, "employee_id");
  EXPECT_EQ(g.rules[f[1].rule].rule.name, "Confidential");
  EXPECT_EQ(text.substr(f[2].begin, f[2].end - f[2].begin), "secret_project");
  EXPECT_EQ(text.substr(f[3].begin, f[3].end - f[3].begin), "secretproject");
}

TEST(GuardrailDetectors, BadPatternsAreConfigErrors) {
  auto r = loadConfigText(R"(
guardrails:
  - guardrail_name: g
    litellm_params:
      guardrail: litellm_content_filter
      mode: pre_call
      patterns:
        - pattern_type: prebuilt
          pattern_name: no_such_thing
)",
                          [](std::string_view) { return std::nullopt; }, "t.yaml");
  ASSERT_TRUE(r.snapshot);
  auto set = compileGuardrails(r.snapshot->guardrails);
  ASSERT_FALSE(set.has_value());
  EXPECT_NE(set.error().message.find("guardrails[0].litellm_params.patterns[0].pattern_name"),
            std::string::npos);
  auto specs = r.snapshot->guardrails;
  specs[0].rules[0] = {
      GuardrailRule::Kind::kRegex, "x", "a(b",
      GuardrailAction::kBlock,     "",  "guardrails[0].litellm_params.patterns[0]"};
  set = compileGuardrails(specs);
  ASSERT_FALSE(set.has_value());
  EXPECT_NE(set.error().message.find("patterns[0].pattern: the pattern does not compile"),
            std::string::npos);
}

}  // namespace
}  // namespace switchyard
