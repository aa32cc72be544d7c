#include "server/request_id.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <thread>

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

TEST(RequestId, FreshIdsStartWithTheTimeSoTheyGrow) {
  FastRandom rng(7);
  const auto first = requestIdFor("", rng);
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  const auto later = requestIdFor("", rng);
  EXPECT_LT(first, later);
  const auto nowMs = std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
  const long long stamped = std::stoll(later.substr(0, 12), nullptr, 16);
  EXPECT_LE(std::llabs(nowMs - stamped), 1000);
}

}  // namespace
}  // namespace switchyard
