#include "core/text.hpp"

#include <gtest/gtest.h>

namespace switchyard {
namespace {

TEST(Text, Contains) {
  EXPECT_TRUE(contains("prompt is too long", "too long"));
  EXPECT_TRUE(contains("abc", ""));
  EXPECT_FALSE(contains("abc", "abcd"));
  EXPECT_FALSE(contains("Too Long", "too long"));  // case matters
}

TEST(Text, AsciiLowerLeavesOtherBytesAlone) {
  EXPECT_EQ(asciiLower("ThrottlingException"), "throttlingexception");
  EXPECT_EQ(asciiLower("RESOURCE_EXHAUSTED 42"), "resource_exhausted 42");
  EXPECT_EQ(asciiLower("ÀÉ"), "ÀÉ");  // UTF-8 bytes unchanged
  EXPECT_EQ(asciiLower(""), "");
}

}  // namespace
}  // namespace switchyard
