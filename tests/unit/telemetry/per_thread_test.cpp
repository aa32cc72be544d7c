// The per-thread objects behind the log sink's buffers and the span exporter's rings: a thread
// that writes to two owners in turn, as across a reload that replaced a sink while requests that
// began before it still end, keeps one object per owner.

#include "telemetry/per_thread.hpp"

#include <gtest/gtest.h>

#include <thread>

namespace switchyard {
namespace {

size_t objects(const PerThread<int>& owner) {
  size_t n = 0;
  owner.forEach([&n](int&) { ++n; });
  return n;
}

TEST(PerThread, AThreadThatSwitchesOwnersFindsItsObjectAgain) {
  PerThread<int> older;
  PerThread<int> newer;
  int& first = older.forThisThread(1);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(newer.forThisThread(2), 2);
    EXPECT_EQ(&older.forThisThread(3), &first);  // made once, from the first arguments
  }
  EXPECT_EQ(first, 1);
  EXPECT_EQ(objects(older), 1u);
  EXPECT_EQ(objects(newer), 1u);
}

TEST(PerThread, EachThreadHasItsOwn) {
  PerThread<int> owner;
  int& mine = owner.forThisThread(1);
  int* theirs = nullptr;
  std::thread([&] { theirs = &owner.forThisThread(2); }).join();
  EXPECT_NE(theirs, &mine);
  EXPECT_EQ(*theirs, 2);
  EXPECT_EQ(objects(owner), 2u);
}

}  // namespace
}  // namespace switchyard
