// Base64 against RFC 4648's test vectors, the URL-safe unpadded variant JWTs use, and float32
// embeddings as OpenAI encodes them.

#include "providers/common/base64.hpp"

#include <gtest/gtest.h>

namespace switchyard::common {
namespace {

TEST(Base64, EncodesRfc4648Vectors) {
  EXPECT_EQ(base64Encode(""), "");
  EXPECT_EQ(base64Encode("f"), "Zg==");
  EXPECT_EQ(base64Encode("fo"), "Zm8=");
  EXPECT_EQ(base64Encode("foo"), "Zm9v");
  EXPECT_EQ(base64Encode("foob"), "Zm9vYg==");
  EXPECT_EQ(base64Encode("fooba"), "Zm9vYmE=");
  EXPECT_EQ(base64Encode("foobar"), "Zm9vYmFy");
}

TEST(Base64, UrlSafeVariantSwapsTheLastTwoLettersAndDropsPadding) {
  const std::string bytes("\xfb\xff\xbf", 3);
  EXPECT_EQ(base64Encode(bytes), "+/+/");
  EXPECT_EQ(base64UrlEncode(bytes), "-_-_");
  EXPECT_EQ(base64UrlEncode("f"), "Zg");
  EXPECT_EQ(base64UrlEncode("fo"), "Zm8");
  EXPECT_EQ(base64UrlEncode(R"({"alg":"RS256","typ":"JWT"})"),
            "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9");
}

TEST(Base64, Float32IsLittleEndian) {
  // 1.0f is 0x3F800000: bytes 00 00 80 3F; -2.0f is 0xC0000000: 00 00 00 C0.
  EXPECT_EQ(base64Float32({1.0}), base64Encode(std::string("\x00\x00\x80\x3f", 4)));
  EXPECT_EQ(base64Float32({1.0, -2.0}),
            base64Encode(std::string("\x00\x00\x80\x3f\x00\x00\x00\xc0", 8)));
  EXPECT_EQ(base64Float32({}), "");
}

}  // namespace
}  // namespace switchyard::common
