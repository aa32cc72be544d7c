#pragma once
// String helpers the standard library lacks in C++20.

#include <string.h>

#include <string>
#include <string_view>

namespace switchyard {

// std::string_view::contains arrives in C++23. With memmem: std::string_view::find runs
// memchr for the needle's first byte and compares at each hit, which on JSON (a quote every few
// bytes) costs several times more.
inline bool contains(std::string_view haystack, std::string_view needle) {
  return memmem(haystack.data(), haystack.size(), needle.data(), needle.size()) != nullptr;
}

// A-Z lowered, every other byte as it is (no locale: UTF-8 passes through unchanged).
inline std::string asciiLower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// Code points of UTF-8 text: the bytes that do not continue a sequence.
inline size_t utf8CodePoints(std::string_view s) {
  size_t n = 0;
  for (const char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

}  // namespace switchyard
