#include "telemetry/line_ring.hpp"

#include <gtest/gtest.h>

#include <string>
#include <thread>

namespace switchyard {
namespace {

std::string take(LineRing& ring, uint64_t* lines = nullptr) {
  const LineRing::Queued q = ring.peek();
  std::string out(q.first);
  out.append(q.second);
  if (lines != nullptr) *lines = q.lines;
  ring.consume(q);
  return out;
}

TEST(LineRing, LinesComeOutInOrderAcrossTheWrap) {
  LineRing ring(64);
  ASSERT_EQ(ring.capacity(), 64u);
  std::string expected;
  uint64_t totalLines = 0;
  for (int round = 0; round < 50; ++round) {
    // 3 lines of 11..13 bytes per round: the positions wrap around the end many times.
    std::string want;
    for (int i = 0; i < 3; ++i) {
      const std::string line = "r" + std::to_string(round) + "-l" + std::to_string(i) + "-xxxx\n";
      ASSERT_GT(ring.push(line), 0u);
      want += line;
    }
    uint64_t lines = 0;
    EXPECT_EQ(take(ring, &lines), want);
    totalLines += lines;
  }
  EXPECT_EQ(totalLines, 150u);
  EXPECT_EQ(ring.dropped(), 0u);
  EXPECT_TRUE(ring.peek().empty());
}

TEST(LineRing, ALineThatDoesNotFitIsDroppedAndCounted) {
  LineRing ring(64);
  const std::string line(40, 'a');
  EXPECT_EQ(ring.push(line), 40u);
  EXPECT_EQ(ring.push(line), 0u);  // 80 > 64
  EXPECT_EQ(ring.push(std::string(100, 'b')), 0u);
  EXPECT_EQ(ring.dropped(), 2u);
  EXPECT_EQ(ring.push(std::string(24, 'c')), 64u);  // exactly full
  EXPECT_EQ(take(ring), line + std::string(24, 'c'));
  EXPECT_EQ(ring.push(line), 40u);  // room again once taken
}

TEST(LineRing, AConsumerThreadGetsEveryLineWholeOrADropCount) {
  LineRing ring(4096);
  constexpr int kLines = 200000;
  std::string got;
  uint64_t counted = 0;
  std::atomic<bool> done{false};
  std::thread consumer([&] {
    for (;;) {
      const bool last = done.load(std::memory_order_acquire);
      uint64_t lines = 0;
      got += take(ring, &lines);
      counted += lines;
      if (last) return;
    }
  });
  for (int i = 0; i < kLines; ++i) ring.push("line " + std::to_string(i) + "\n");
  done.store(true, std::memory_order_release);
  consumer.join();
  size_t newlines = 0, expectNext = 0;
  bool ordered = true;
  for (size_t pos = 0, end; (end = got.find('\n', pos)) != std::string::npos; pos = end + 1) {
    ++newlines;
    const size_t n = std::stoul(got.substr(pos + 5, end - pos - 5));
    ordered = ordered && n >= expectNext;
    expectNext = n + 1;
  }
  EXPECT_TRUE(ordered);
  EXPECT_EQ(newlines, counted);
  EXPECT_EQ(counted + ring.dropped(), uint64_t(kLines));
}

}  // namespace
}  // namespace switchyard
