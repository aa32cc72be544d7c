#include "client/sse_parser.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace switchyard {
namespace {

struct Collected {
  std::vector<std::string> events;
  std::vector<std::string> data;
};

Collected feedAll(SseParser& p, const std::vector<std::string>& pieces, bool* ok = nullptr) {
  Collected c;
  bool allOk = true;
  for (const auto& piece : pieces) {
    allOk &= p.feed(piece, [&](const SseEvent& e) {
      c.events.emplace_back(e.event);
      c.data.emplace_back(e.data);
    });
  }
  if (ok) *ok = allOk;
  return c;
}

TEST(SseParser, SplitsEventsOnBlankLines) {
  SseParser p;
  auto c = feedAll(p, {"data: {\"a\":1}\n\ndata: [DONE]\n\n"});
  ASSERT_EQ(c.data.size(), 2u);
  EXPECT_EQ(c.data[0], "{\"a\":1}");
  EXPECT_EQ(c.data[1], "[DONE]");
  EXPECT_FALSE(p.hasPartialEvent());
}

TEST(SseParser, HandlesEverySplitPoint) {
  const std::string wire =
      "event: message_start\r\ndata: {\"x\":\"y\"}\r\n\r\n: ping\n\ndata: one\ndata: two\n\n";
  for (size_t cut = 0; cut <= wire.size(); ++cut) {
    SseParser p;
    auto c = feedAll(p, {wire.substr(0, cut), wire.substr(cut)});
    ASSERT_EQ(c.data.size(), 2u) << "cut at " << cut;
    EXPECT_EQ(c.events[0], "message_start");
    EXPECT_EQ(c.data[0], "{\"x\":\"y\"}");
    EXPECT_EQ(c.events[1], "");
    EXPECT_EQ(c.data[1], "one\ntwo");
  }
}

TEST(SseParser, ByteByByteMatchesWhole) {
  const std::string wire = "data: a\r\rdata: b\n\ndata:c\r\n\r\n";
  SseParser whole;
  auto expected = feedAll(whole, {wire});
  SseParser bytes;
  std::vector<std::string> pieces;
  for (char ch : wire) pieces.emplace_back(1, ch);
  auto got = feedAll(bytes, pieces);
  EXPECT_EQ(expected.data, got.data);
  ASSERT_EQ(got.data.size(), 3u);
  EXPECT_EQ(got.data[2], "c");
}

TEST(SseParser, IgnoresCommentsAndEventsWithoutData) {
  SseParser p;
  auto c = feedAll(p, {": keep-alive\n\nevent: ping\n\nid: 7\nretry: 10\n\n"});
  EXPECT_TRUE(c.data.empty());
}

TEST(SseParser, ReportsPartialEventAtEnd) {
  SseParser p;
  auto c = feedAll(p, {"data: {\"cut"});
  EXPECT_TRUE(c.data.empty());
  EXPECT_TRUE(p.hasPartialEvent());
}

TEST(SseParser, RejectsOversizedEvents) {
  SseParser p(64);
  bool ok = true;
  auto c = feedAll(p, {"data: " + std::string(100, 'x')}, &ok);
  EXPECT_FALSE(ok);
  EXPECT_TRUE(c.data.empty());
}

}  // namespace
}  // namespace switchyard
