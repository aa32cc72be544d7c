#include "core/http_fields.hpp"

#include <gtest/gtest.h>

#include <cctype>
#include <string>
#include <vector>

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

// A header name is read eight bytes at a time while it is letters, digits and '-': every byte
// value, at every place of a word, must still be judged as RFC 9110's token rule says.
TEST(ParseHeaderFields, JudgesEveryByteOfANameAsTheTokenRuleSays) {
  const std::string_view tokenPunctuation = "!#$%&'*+-.^_`|~";
  for (int b = 0; b < 256; ++b) {
    const char c = static_cast<char>(b);
    if (c == ':') continue;  // it would end the name there
    const bool token = std::isalnum(b) != 0 || tokenPunctuation.find(c) != std::string_view::npos;
    for (size_t at = 0; at < 12; ++at) {
      std::string name = "Abcdefghijkl";
      name[at] = c;
      const std::string block = name + ": v\r\nX-Next: w\r\n\r\n";
      std::vector<HttpHeader> headers;
      const auto parsed = parseHeaderFields(block, headers);
      ASSERT_EQ(bool(parsed), token) << b << " at " << at;
      if (token) {
        ASSERT_EQ(headers.size(), 2u);
        EXPECT_EQ(headers[0].name, name);
      }
    }
  }
}

// Values are checked for line breaks 16 and 8 bytes at a time: a CR or LF at any offset of a
// value of any length is dropped (it could end the header block), and a clean value is copied
// whole, after whatever the head already held.
TEST(AppendHeaderLine, DropsLineBreaksAtEveryOffsetAndCopiesCleanValuesWhole) {
  const std::string base = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJ";
  for (size_t size = 0; size <= base.size(); ++size) {
    const std::string clean = base.substr(0, size);
    std::string head = "GET / HTTP/1.1\r\n";
    appendHeaderLine(head, "x-test", clean);
    ASSERT_EQ(head, "GET / HTTP/1.1\r\nx-test: " + clean + "\r\n");
    for (size_t at = 0; at < size; ++at) {
      for (const char breaker : {'\r', '\n'}) {
        std::string value = clean;
        value[at] = breaker;
        std::string line;
        appendHeaderLine(line, "x-test", value);
        std::string expected = clean;
        expected.erase(at, 1);
        ASSERT_EQ(line, "x-test: " + expected + "\r\n") << int(breaker) << " at " << at;
      }
    }
  }
}

}  // namespace
}  // namespace switchyard
