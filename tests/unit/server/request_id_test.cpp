#include "server/request_id.hpp"

#include <gtest/gtest.h>

namespace switchyard {
namespace {

TEST(RequestId, KeepsASaneClientId) {
  FastRandom rng(1);
  EXPECT_EQ(requestIdFor("trace-42_a.b:c", rng), "trace-42_a.b:c");
}

TEST(RequestId, ReplacesUnsafeOrMissingIds) {
  FastRandom rng(1);
  for (std::string_view bad : {"", "has space", "line\r\nbreak", "x\"y"}) {
    const auto id = requestIdFor(bad, rng);
    EXPECT_EQ(id.size(), 32u) << bad;
    EXPECT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos);
  }
  EXPECT_EQ(requestIdFor(std::string(129, 'a'), rng).size(), 32u);
  EXPECT_NE(requestIdFor("", rng), requestIdFor("", rng));
}

}  // namespace
}  // namespace switchyard
