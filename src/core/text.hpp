#pragma once
// String helpers the standard library lacks in C++20.

#include <string>
#include <string_view>

namespace switchyard {

// std::string_view::contains arrives in C++23.
inline bool contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

// A-Z lowered, every other byte as it is (no locale: UTF-8 passes through unchanged).
inline std::string asciiLower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace switchyard
