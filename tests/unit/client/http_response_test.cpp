// The upstream response-head parser: status, body framing and connection reuse.

#include "client/http_response.hpp"

#include <gtest/gtest.h>

namespace switchyard {
namespace {

TEST(ResponseHead, LengthFramedKeepAlive) {
  ResponseHead h;
  ASSERT_TRUE(parseResponseHead(
      "HTTP/1.1 429 Too Many Requests\r\nRetry-After: 7\r\nContent-Length: 12\r\n\r\n", h));
  EXPECT_EQ(h.status, 429);
  EXPECT_EQ(h.framing, BodyFraming::kLength);
  EXPECT_EQ(h.contentLength, 12u);
  EXPECT_TRUE(h.keepAlive);
  EXPECT_EQ(h["retry-after"], "7");
}

TEST(ResponseHead, ChunkedUntilCloseAndEmptyBodies) {
  ResponseHead h;
  ASSERT_TRUE(parseResponseHead("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", h));
  EXPECT_EQ(h.framing, BodyFraming::kChunked);
  ASSERT_TRUE(parseResponseHead("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\n", h));
  EXPECT_EQ(h.framing, BodyFraming::kUntilClose);
  EXPECT_FALSE(h.keepAlive);
  ASSERT_TRUE(parseResponseHead("HTTP/1.1 204 No Content\r\n\r\n", h));
  EXPECT_EQ(h.framing, BodyFraming::kNone);
  ASSERT_TRUE(parseResponseHead("HTTP/1.1 100\r\n\r\n", h));  // no reason phrase
  EXPECT_EQ(h.status, 100);
  EXPECT_EQ(h.framing, BodyFraming::kNone);
}

TEST(ResponseHead, ConnectionReuseFollowsVersionAndHeader) {
  ResponseHead h;
  ASSERT_TRUE(
      parseResponseHead("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n", h));
  EXPECT_FALSE(h.keepAlive);
  ASSERT_TRUE(parseResponseHead("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n", h));
  EXPECT_FALSE(h.keepAlive);
  ASSERT_TRUE(parseResponseHead(
      "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n", h));
  EXPECT_TRUE(h.keepAlive);
}

TEST(ResponseHead, RefusesGarbage) {
  for (std::string_view bad :
       {"garbage\r\n\r\n", "HTTP/1.1 2000 OK\r\n\r\n", "HTTP/2 200 OK\r\n\r\n",
        "HTTP/1.1 20x OK\r\n\r\n", "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
        "HTTP/1.1 200OK\r\n\r\n"}) {
    ResponseHead h;
    auto r = parseResponseHead(bad, h);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().cls, ErrorClass::kBadUpstream);
  }
}

}  // namespace
}  // namespace switchyard
