// Expressions are Hyperscan's dialect (no lookaround, no backreferences): what LiteLLM's
// patterns.json does with lookarounds is done by the validators instead.
#include "stages/guardrails/prebuilt_patterns.hpp"

#include <array>

#include "stages/guardrails/validators.hpp"

namespace switchyard::guardrails {

namespace {

using E = std::string_view;

// Separators between card digit groups, as LiteLLM's patterns allow them.
constexpr std::array<E, 1> kVisa = {R"(\b4\d{3}[ \-]?\d{4}[ \-]?\d{4}[ \-]?\d{4}\b)"};
constexpr std::array<E, 1> kMastercard = {
    R"(\b(?:5[1-5]\d{2}|2[2-7]\d{2})[ \-]?\d{4}[ \-]?\d{4}[ \-]?\d{4}\b)"};
constexpr std::array<E, 1> kAmex = {R"(\b3[47]\d{2}[ \-]?\d{6}[ \-]?\d{5}\b)"};
constexpr std::array<E, 1> kDiscover = {R"(\b6(?:011|5\d{2})[ \-]?\d{4}[ \-]?\d{4}[ \-]?\d{4}\b)"};
constexpr std::array<E, 4> kAnyCard = {kVisa[0], kMastercard[0], kAmex[0], kDiscover[0]};
constexpr std::array<E, 1> kSsn = {R"(\b\d{3}-\d{2}-\d{4}\b)"};
constexpr std::array<E, 1> kSsnNoDash = {R"(\b\d{9}\b)"};
constexpr std::array<E, 1> kEmail = {R"(\b[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}\b)"};
// E.164 (+ and 8 to 15 digits) and national forms with separators: (555) 123-4567,
// 555-123-4567, +44 20 7946 0958. Loose on purpose (a run of digits and separators): the
// validator counts the digits, and a loose expression is one Hyperscan runs fast.
constexpr std::array<E, 2> kPhone = {R"(\+[1-9]\d{7,14}\b)",
                                     R"((?:\+|\(|\b)\d[\d() .\-]{7,18}\d\b)"};
constexpr std::array<E, 1> kIpv4 = {
    R"(\b(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\b)"};
constexpr std::array<E, 2> kIpv6 = {R"(\b(?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}\b)",
                                    R"((?:\b[0-9A-Fa-f]{1,4})?(?::[0-9A-Fa-f]{0,4}){2,7}\b)"};
// Country, check digits, then letters, digits and spaces: loose, so that Hyperscan runs it
// fast; the validator's mod-97 decides, from the longest candidate down.
constexpr std::array<E, 1> kIban = {R"(\b[A-Z]{2}\d{2}[A-Z0-9 ]{10,38}[A-Z0-9]\b)"};
constexpr std::array<E, 1> kAwsAccess = {R"(\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b)"};
constexpr std::array<E, 1> kAwsSecret = {R"(\b[A-Za-z0-9/+=]{40}\b)"};
// Unbounded repeats: a bounded one this wide is too large for Hyperscan's start-of-match mode.
constexpr std::array<E, 2> kGithub = {R"(\bgh[pousr]_[A-Za-z0-9]{36,}\b)",
                                      R"(\bgithub_pat_[A-Za-z0-9_]{60,}\b)"};
constexpr std::array<E, 1> kSlack = {R"(\bxox[abposr]-[A-Za-z0-9\-]{10,})"};
constexpr std::array<E, 1> kGcp = {R"(\bAIza[0-9A-Za-z_\-]{35}\b)"};
constexpr std::array<E, 1> kOpenAi = {R"(\bsk-[A-Za-z0-9_\-]{20,}\b)"};
constexpr std::array<E, 1> kAnthropic = {R"(\bsk-ant-[A-Za-z0-9_\-]{20,}\b)"};
// The whole block when it is there, the header alone when the block is cut short.
constexpr std::array<E, 2> kPrivateKey = {
    R"(-----BEGIN[A-Z ]* PRIVATE KEY-----[A-Za-z0-9+/=\s]*-----END[A-Z ]* PRIVATE KEY-----)",
    R"(-----BEGIN[A-Z ]* PRIVATE KEY-----)"};
constexpr std::array<E, 1> kJwt = {
    R"(\beyJ[A-Za-z0-9_\-]{8,}\.eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]*)"};
constexpr std::array<E, 1> kGenericApiKey = {
    R"(\b[Aa][Pp][Ii][\-_]?[Kk][Ee][Yy][\s:=]+['"]?[A-Za-z0-9_\-]{20,}['"]?)"};
constexpr std::array<E, 1> kGenericSecret = {
    R"(\b(?:[Ss][Ee][Cc][Rr][Ee][Tt]|[Tt][Oo][Kk][Ee][Nn]|[Pp][Aa][Ss][Ss][Ww][Oo][Rr][Dd])[A-Za-z_]*\s*[:=]\s*['"]?[A-Za-z0-9_\-+/=]{16,})"};

bool cardValid(std::string_view t, size_t b, size_t e) { return luhnValid(t.substr(b, e - b)); }
bool ssn(std::string_view t, size_t b, size_t e) { return ssnValid(t.substr(b, e - b)); }
bool iban(std::string_view t, size_t b, size_t e) { return ibanValid(t.substr(b, e - b)); }
bool ipv6(std::string_view t, size_t b, size_t e) { return ipv6Valid(t.substr(b, e - b)); }
bool awsSecret(std::string_view t, size_t b, size_t e) {
  return awsSecretShaped(t.substr(b, e - b));
}
bool openAi(std::string_view t, size_t b, size_t e) { return notAnthropicKey(t.substr(b, e - b)); }
bool entropy(std::string_view t, size_t b, size_t e) {
  return highEntropyAssignment(t.substr(b, e - b));
}

constexpr std::array<PrebuiltPattern, 24> kTable = {{
    {"us_ssn", "pii", kSsn, ssn},
    {"us_ssn_no_dash", "pii", kSsnNoDash, ssn},
    {"email", "pii", kEmail, nullptr},
    {"phone", "pii", kPhone, phoneInContext},
    {"us_phone", "pii", kPhone, phoneInContext},
    {"visa", "pii", kVisa, cardValid},
    {"mastercard", "pii", kMastercard, cardValid},
    {"amex", "pii", kAmex, cardValid},
    {"discover", "pii", kDiscover, cardValid},
    {"credit_card", "pii", kAnyCard, cardValid},
    {"iban", "pii", kIban, iban},
    {"ipv4", "pii", kIpv4, ipv4InContext},
    {"ipv6", "pii", kIpv6, ipv6},
    {"aws_access_key", "secret", kAwsAccess, nullptr},
    {"aws_secret_key", "secret", kAwsSecret, awsSecret},
    {"github_token", "secret", kGithub, nullptr},
    {"slack_token", "secret", kSlack, nullptr},
    {"gcp_api_key", "secret", kGcp, nullptr},
    {"openai_api_key", "secret", kOpenAi, openAi},
    {"anthropic_api_key", "secret", kAnthropic, nullptr},
    {"private_key", "secret", kPrivateKey, nullptr},
    {"jwt", "secret", kJwt, nullptr},
    {"generic_api_key", "secret", kGenericApiKey, nullptr},
    {"generic_secret", "secret", kGenericSecret, entropy},
}};

}  // namespace

const PrebuiltPattern* findPrebuilt(std::string_view name) {
  for (const auto& p : kTable) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

std::span<const PrebuiltPattern> allPrebuilt() { return kTable; }

}  // namespace switchyard::guardrails
