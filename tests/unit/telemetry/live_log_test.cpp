#include "telemetry/live_log.hpp"

#include <gtest/gtest.h>

namespace switchyard {
namespace {

TEST(LiveLog, WatchersAreCounted) {
  LiveLog log;
  EXPECT_FALSE(log.watched());
  {
    LiveLog::Watch a(log);
    LiveLog::Watch b(log);
    EXPECT_TRUE(log.watched());
    EXPECT_EQ(log.watchers(), 2);
  }
  EXPECT_FALSE(log.watched());
}

TEST(LiveLog, ReadAfterGivesNewerEntriesInOrder) {
  LiveLog log;
  std::vector<LiveLog::Entry> out;
  EXPECT_EQ(log.readAfter(0, 10, out), 0u);
  EXPECT_TRUE(out.empty());
  log.append("{\"n\":1}");
  log.append("{\"n\":2}");
  log.append("{\"n\":3}");
  EXPECT_EQ(log.readAfter(1, 10, out), 3u);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].sequence, 2u);
  EXPECT_EQ(out[0].line, "{\"n\":2}");
  EXPECT_EQ(out[1].sequence, 3u);
  out.clear();
  EXPECT_EQ(log.readAfter(3, 10, out), 3u);
  EXPECT_TRUE(out.empty());
  // At most `max`: the newest ones.
  EXPECT_EQ(log.readAfter(0, 2, out), 3u);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].sequence, 2u);
}

TEST(LiveLog, TheRingIsBounded) {
  LiveLog log;
  for (size_t i = 0; i < LiveLog::kCapacity + 5; ++i) log.append(std::to_string(i));
  std::vector<LiveLog::Entry> out;
  EXPECT_EQ(log.readAfter(0, LiveLog::kCapacity * 2, out), LiveLog::kCapacity + 5);
  ASSERT_EQ(out.size(), LiveLog::kCapacity);
  EXPECT_EQ(out.front().sequence, 6u);
  EXPECT_EQ(out.front().line, "5");
  EXPECT_EQ(out.back().line, std::to_string(LiveLog::kCapacity + 4));
}

}  // namespace
}  // namespace switchyard
