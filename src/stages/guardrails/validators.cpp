#include "stages/guardrails/validators.hpp"

#include <arpa/inet.h>

#include <array>
#include <cctype>
#include <cmath>
#include <string>
#include <vector>

namespace switchyard::guardrails {

namespace {

bool isDigit(char c) { return c >= '0' && c <= '9'; }

std::string digitsOf(std::string_view s) {
  std::string d;
  for (char c : s) {
    if (isDigit(c)) d.push_back(c);
  }
  return d;
}

char lower(char c) { return char(std::tolower(static_cast<unsigned char>(c))); }

// Whether the word right before `begin` (skipping spaces and ':' / '='), lowercased, is one of
// the words that introduce a version number.
bool afterVersionWord(std::string_view text, size_t begin) {
  size_t i = begin;
  while (i > 0 && (text[i - 1] == ' ' || text[i - 1] == ':' || text[i - 1] == '=')) --i;
  size_t wordEnd = i;
  while (i > 0 && std::isalpha(static_cast<unsigned char>(text[i - 1]))) --i;
  std::string word;
  for (size_t k = i; k < wordEnd; ++k) word.push_back(lower(text[k]));
  static constexpr std::array<std::string_view, 6> kWords = {"v",       "ver",   "version",
                                                             "release", "build", "firmware"};
  for (auto w : kWords) {
    if (word == w) return true;
  }
  return false;
}

// Part of a longer dotted number: "1.2.3.4.5", or "x.1.2.3.4".
bool insideDottedNumber(std::string_view text, size_t begin, size_t end) {
  if (begin >= 2 && text[begin - 1] == '.' && isDigit(text[begin - 2])) return true;
  if (end + 1 < text.size() && text[end] == '.' && isDigit(text[end + 1])) return true;
  return false;
}

}  // namespace

bool luhnValid(std::string_view s) {
  const auto d = digitsOf(s);
  if (d.size() < 13 || d.size() > 19) return false;
  int sum = 0;
  bool twice = false;
  for (size_t i = d.size(); i > 0; --i) {
    int v = d[i - 1] - '0';
    if (twice) {
      v *= 2;
      if (v > 9) v -= 9;
    }
    sum += v;
    twice = !twice;
  }
  return sum % 10 == 0;
}

bool ibanValid(std::string_view s) {
  std::string iban;
  for (char c : s) {
    if (c != ' ') iban.push_back(char(std::toupper(static_cast<unsigned char>(c))));
  }
  if (iban.size() < 15 || iban.size() > 34) return false;
  // Move the country code and check digits to the end; letters count as 10..35.
  const std::string moved = iban.substr(4) + iban.substr(0, 4);
  int rem = 0;
  for (char c : moved) {
    if (isDigit(c)) {
      rem = (rem * 10 + (c - '0')) % 97;
    } else if (c >= 'A' && c <= 'Z') {
      rem = (rem * 100 + (c - 'A' + 10)) % 97;
    } else {
      return false;
    }
  }
  return rem == 1;
}

bool ssnValid(std::string_view s) {
  const auto d = digitsOf(s);
  if (d.size() != 9) return false;
  const auto area = d.substr(0, 3);
  if (area == "000" || area == "666" || area[0] == '9') return false;
  if (d.substr(3, 2) == "00" || d.substr(5) == "0000") return false;
  return true;
}

bool ipv4InContext(std::string_view text, size_t begin, size_t end) {
  if (insideDottedNumber(text, begin, end)) return false;
  if (begin > 0 && (text[begin - 1] == '/' || text[begin - 1] == '@')) return false;
  return !afterVersionWord(text, begin);
}

bool ipv6Valid(std::string_view c) {
  if (c.size() > 45) return false;
  const std::string s(c);
  unsigned char buf[16];
  if (inet_pton(AF_INET6, s.c_str(), buf) != 1) return false;
  size_t colons = 0;
  for (char ch : s) colons += ch == ':';
  return colons == 7 || s.find("::") != std::string::npos;
}

bool phoneInContext(std::string_view text, size_t begin, size_t end) {
  const auto candidate = text.substr(begin, end - begin);
  const auto d = digitsOf(candidate);
  if (d.size() < 10 || d.size() > 15) return false;
  if (insideDottedNumber(text, begin, end)) return false;
  // Digit groups as separators split them: a phone number written with separators ends in a
  // group of four after one of three or four (555-123-4567, +44 20 7946 0958); a date or a
  // time ("2024-01-15 10") does not.
  std::vector<size_t> groups;
  size_t run = 0;
  for (char c : candidate) {
    if (isDigit(c)) {
      ++run;
    } else if (run > 0) {
      groups.push_back(run);
      run = 0;
    }
  }
  if (run > 0) groups.push_back(run);
  if (groups.size() == 1) return candidate[0] == '+' || d.size() == 10;
  const size_t last = groups.back(), previous = groups[groups.size() - 2];
  return last == 4 && (previous == 3 || previous == 4);
}

bool awsSecretShaped(std::string_view c) {
  bool upperCase = false, lowerCase = false, digit = false, nonHex = false;
  for (char ch : c) {
    upperCase = upperCase || std::isupper(static_cast<unsigned char>(ch));
    lowerCase = lowerCase || std::islower(static_cast<unsigned char>(ch));
    digit = digit || isDigit(ch);
    nonHex = nonHex || !std::isxdigit(static_cast<unsigned char>(ch));
  }
  return upperCase && lowerCase && digit && nonHex;
}

bool highEntropyAssignment(std::string_view c) {
  // The value is what follows the last ':' or '=' (and an optional quote).
  size_t i = c.find_last_of(":=");
  std::string_view v = i == std::string_view::npos ? c : c.substr(i + 1);
  while (!v.empty() && (v.front() == ' ' || v.front() == '"' || v.front() == '\'')) {
    v.remove_prefix(1);
  }
  if (v.size() < 16) return false;
  std::array<int, 256> counts{};
  for (unsigned char ch : v) ++counts[ch];
  double h = 0;
  for (int n : counts) {
    if (n == 0) continue;
    const double p = double(n) / double(v.size());
    h -= p * std::log2(p);
  }
  return h >= 3.5;
}

bool notAnthropicKey(std::string_view c) { return c.substr(0, 7) != "sk-ant-"; }

}  // namespace switchyard::guardrails
