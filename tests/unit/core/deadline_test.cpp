#include "core/deadline.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>

namespace switchyard {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;

struct CountingAlarm : SweepAlarm {
  int rings = 0;
  void ring() override { ++rings; }
};

TEST(SweepAlarm, RingsAtTheSecondSweepAndOnlyOnce) {
  asio::io_context io;
  DeadlineSweeper sweeper(io.get_executor());
  CountingAlarm alarm;
  alarm.set(sweeper);
  const auto now = Deadline::Clock::now();
  EXPECT_TRUE(sweeper.sweep(now));  // the first sweep may come at once: too early
  EXPECT_EQ(alarm.rings, 0);
  EXPECT_FALSE(sweeper.sweep(now));  // rung, and nothing else waits
  EXPECT_EQ(alarm.rings, 1);
  sweeper.sweep(now);
  EXPECT_EQ(alarm.rings, 1);
}

TEST(SweepAlarm, AnAlarmDestroyedFirstNeverRings) {
  asio::io_context io;
  DeadlineSweeper sweeper(io.get_executor());
  CountingAlarm kept;
  {
    CountingAlarm gone;
    gone.set(sweeper);
    kept.set(sweeper);
  }
  const auto now = Deadline::Clock::now();
  sweeper.sweep(now);
  sweeper.sweep(now);
  EXPECT_EQ(kept.rings, 1);
}

TEST(SweepAlarm, TheSweeperRunsByItselfWhileAnAlarmWaits) {
  asio::io_context io;
  DeadlineSweeper sweeper(io.get_executor(), 1ms);
  CountingAlarm alarm;
  alarm.set(sweeper);
  io.run_for(1s);  // returns early once nothing is armed
  EXPECT_EQ(alarm.rings, 1);
  EXPECT_TRUE(io.stopped());
}

TEST(SweepAlarm, SettingAgainMovesItLater) {
  asio::io_context io;
  DeadlineSweeper sweeper(io.get_executor());
  CountingAlarm alarm;
  alarm.set(sweeper);
  const auto now = Deadline::Clock::now();
  sweeper.sweep(now);
  alarm.set(sweeper);
  sweeper.sweep(now);
  EXPECT_EQ(alarm.rings, 0);
  sweeper.sweep(now);
  EXPECT_EQ(alarm.rings, 1);
}

}  // namespace
}  // namespace switchyard
