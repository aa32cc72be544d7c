#pragma once
// Checks that turn a pattern's candidate into a finding: what a regular expression cannot say
// (a checksum, a number range, the text around it). Each takes the whole text and the
// candidate's span, so that it can look at the context.

#include <cstddef>
#include <string_view>

namespace switchyard::guardrails {

// A card number (digits with optional spaces or dashes) whose Luhn checksum holds.
bool luhnValid(std::string_view digits);
// An IBAN (spaces allowed) of 15 to 34 characters whose ISO 13616 mod-97 remainder is 1.
bool ibanValid(std::string_view iban);
// A US SSN (with or without dashes) the SSA could have issued: no 000/666/9xx area, no 00
// group, no 0000 serial.
bool ssnValid(std::string_view ssn);

// Context checks: whether the candidate [begin, end) of `text` is what it looks like.
// A dotted quad that is not part of a longer dotted number and not preceded by a version word
// ("v", "version", "release", "build") or a product slash ("Chrome/120.0.6099.109").
bool ipv4InContext(std::string_view text, size_t begin, size_t end);
// An IPv6 address in full or compressed form (not a clock time such as 12:30:45).
bool ipv6Valid(std::string_view candidate);
// 10 to 15 digits, not a piece of a dotted number.
bool phoneInContext(std::string_view text, size_t begin, size_t end);
// A 40-character AWS secret: mixed case and digits, and not a hex digest (git SHAs).
bool awsSecretShaped(std::string_view candidate);
// The value of a `secret = ...` assignment: random enough (Shannon entropy ≥ 3.5 bits a char).
bool highEntropyAssignment(std::string_view candidate);
// An OpenAI key that is not an Anthropic one (both start with "sk-").
bool notAnthropicKey(std::string_view candidate);

}  // namespace switchyard::guardrails
