// The chunked-body decoder: any split of the input gives the same body, extensions and trailers
// are skipped, and bad framing or an oversized body is refused.

#include "core/chunked_decoder.hpp"

#include <gtest/gtest.h>

namespace switchyard {
namespace {

constexpr std::string_view kBody =
    "4;ext=1\r\nWiki\r\n5\r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n0\r\nX-Trailer: y\r\n\r\n";

TEST(ChunkedDecoder, DecodesWholeInput) {
  ChunkedDecoder d(1024);
  std::string out;
  auto used = d.feed(kBody, out);
  ASSERT_TRUE(used);
  EXPECT_EQ(*used, kBody.size());
  EXPECT_TRUE(d.done());
  EXPECT_EQ(out, "Wikipedia in\r\n\r\nchunks.");
}

TEST(ChunkedDecoder, AnySplitGivesTheSameBody) {
  for (size_t cut = 0; cut <= kBody.size(); ++cut) {
    ChunkedDecoder d(1024);
    std::string out;
    std::string pending(kBody.substr(0, cut));
    auto used = d.feed(pending, out);
    ASSERT_TRUE(used);
    pending.erase(0, *used);
    pending.append(kBody.substr(cut));
    used = d.feed(pending, out);
    ASSERT_TRUE(used);
    EXPECT_TRUE(d.done()) << cut;
    EXPECT_EQ(out, "Wikipedia in\r\n\r\nchunks.") << cut;
  }
}

TEST(ChunkedDecoder, StopsAtTheEndOfTheBody) {
  ChunkedDecoder d(1024);
  std::string out;
  auto used = d.feed("3\r\nabc\r\n0\r\n\r\nGET / HTTP/1.1\r\n", out);
  ASSERT_TRUE(used);
  EXPECT_EQ(*used, 13u);
  EXPECT_EQ(out, "abc");
}

TEST(ChunkedDecoder, RefusesBadFraming) {
  for (std::string_view bad :
       {"zz\r\n", "3\r\nabcd\r\n", "3x\r\nabc\r\n", "12345678901234567\r\n"}) {
    ChunkedDecoder d(1 << 20);
    std::string out;
    auto r = d.feed(bad, out);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().status, 400);
  }
}

TEST(ChunkedDecoder, RefusesBodiesOverTheLimit) {
  ChunkedDecoder d(5);
  std::string out;
  auto r = d.feed("3\r\nabc\r\n3\r\ndef\r\n", out);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().status, 413);
}

TEST(ChunkedDecoder, RefusesEndlessSizeLines) {
  ChunkedDecoder d(1 << 20);
  std::string out;
  auto r = d.feed("1;" + std::string(5000, 'x'), out);
  ASSERT_FALSE(r);
}

}  // namespace
}  // namespace switchyard
