#include "core/http_fields.hpp"

#include <gtest/gtest.h>

#include <cctype>
#include <string>

namespace switchyard {
namespace {

// The eight-bytes-at-a-time comparison must agree with a byte-by-byte one for every pair of
// bytes, in every position of a word and of the tail.
TEST(EqualsIgnoreCase, AgreesWithByteByByteForEveryBytePair) {
  auto expected = [](unsigned char x, unsigned char y) {
    auto low = [](unsigned char c) { return (c >= 'A' && c <= 'Z') ? c + 32 : c; };
    return low(x) == low(y);
  };
  for (size_t length : {1, 7, 8, 9, 13, 16}) {
    for (size_t at : {size_t{0}, length / 2, length - 1}) {
      std::string a(length, 'q'), b(length, 'Q');
      for (int x = 0; x < 256; ++x) {
        for (int y = 0; y < 256; ++y) {
          a[at] = static_cast<char>(x);
          b[at] = static_cast<char>(y);
          ASSERT_EQ(equalsIgnoreCase(a, b), expected(x, y))
              << length << " " << at << " " << x << " " << y;
        }
      }
    }
  }
}

TEST(EqualsIgnoreCase, ComparesHeaderNames) {
  EXPECT_TRUE(equalsIgnoreCase("Content-Type", "content-type"));
  EXPECT_TRUE(equalsIgnoreCase("X_Custom_HEADER-1", "x_custom_header-1"));
  EXPECT_FALSE(equalsIgnoreCase("Content-Type", "content-typo"));
  EXPECT_FALSE(equalsIgnoreCase("Content-Type", "content-type "));
  EXPECT_TRUE(equalsIgnoreCase("", ""));
  // '@' and '[' sit next to the capitals; '`' and '{' next to the small letters.
  EXPECT_FALSE(equalsIgnoreCase("@[", "`{"));
}

}  // namespace
}  // namespace switchyard
