#pragma once
// The built-in detectors a `pattern_type: prebuilt` rule names: LiteLLM's pattern names (us_ssn,
// email, phone, visa, ...) and Switchyard's own (iban, ipv4, jwt, private_key, ...). Each is one
// or more Hyperscan expressions and a validator for what an expression cannot say.

#include <span>
#include <string_view>

namespace switchyard::guardrails {

// Whether the candidate [begin, end) of `text` is a real finding.
using Validator = bool (*)(std::string_view text, size_t begin, size_t end);

struct PrebuiltPattern {
  std::string_view name;      // pattern_name
  std::string_view category;  // "pii" or "secret": what docs and spend logs call it
  std::span<const std::string_view> expressions;
  Validator validate;  // null: the expression is enough
};

// Null for an unknown name; "phone" and "us_phone" are the same detector.
const PrebuiltPattern* findPrebuilt(std::string_view name);
std::span<const PrebuiltPattern> allPrebuilt();

}  // namespace switchyard::guardrails
