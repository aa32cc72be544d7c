#include "core/short_copy.hpp"

#include <gtest/gtest.h>

#include <string>

namespace switchyard {
namespace {

// Every length through the two-piece sizes and past them into memcpy: the bytes arrive in order,
// and nothing before or after the destination range is written.
TEST(ShortCopy, CopiesEveryLengthExactlyAndNothingAround) {
  std::string source;
  for (int i = 0; i < 80; ++i) source += char('A' + i % 58);
  for (size_t n = 0; n <= 70; ++n) {
    for (size_t offset : {0, 1, 7}) {
      std::string out(100, '#');
      copyShort(out.data() + 5, source.data() + offset, n);
      EXPECT_EQ(out.substr(0, 5), "#####") << n;
      EXPECT_EQ(out.substr(5, n), source.substr(offset, n)) << n;
      EXPECT_EQ(out.substr(5 + n), std::string(95 - n, '#')) << n;
    }
  }
}

}  // namespace
}  // namespace switchyard
