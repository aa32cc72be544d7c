// The inbound request-head parser: what it accepts, the framing it reports, and the malformed
// heads it refuses with a 400.

#include "server/http_request.hpp"

#include <gtest/gtest.h>

namespace switchyard {
namespace {

namespace http = boost::beast::http;

Result<void> parse(std::string_view head, HttpRequest& req) { return parseRequestHead(head, req); }

TEST(HttpRequestHead, ParsesRequestLineHeadersAndFraming) {
  HttpRequest req;
  const std::string head =
      "POST /v1/chat/completions?x=1 HTTP/1.1\r\nHost: gw\r\nAuthorization:  Bearer sk-1 \r\n"
      "Content-Type: application/json\r\nContent-Length: 42\r\nX-Empty:\r\n\r\n";
  ASSERT_TRUE(parse(head, req));
  EXPECT_EQ(req.method(), http::verb::post);
  EXPECT_EQ(req.method_string(), "POST");
  EXPECT_EQ(req.target(), "/v1/chat/completions?x=1");
  EXPECT_EQ(req.version(), 11u);
  EXPECT_TRUE(req.keep_alive());
  EXPECT_EQ(req[http::field::authorization], "Bearer sk-1");
  EXPECT_EQ(req["content-type"], "application/json");
  EXPECT_EQ(req["x-empty"], "");
  EXPECT_EQ(req["missing"], "");
  EXPECT_EQ(req.contentLength(), 42u);
  EXPECT_FALSE(req.chunked());
  EXPECT_EQ(req.headers().size(), 5u);
}

TEST(HttpRequestHead, KeepAliveFollowsVersionAndConnection) {
  HttpRequest req;
  ASSERT_TRUE(parse("GET / HTTP/1.1\r\nConnection: Close\r\n\r\n", req));
  EXPECT_FALSE(req.keep_alive());
  ASSERT_TRUE(parse("GET / HTTP/1.0\r\n\r\n", req));
  EXPECT_FALSE(req.keep_alive());
  EXPECT_EQ(req.version(), 10u);
  ASSERT_TRUE(parse("GET / HTTP/1.0\r\nConnection: foo, keep-alive\r\n\r\n", req));
  EXPECT_TRUE(req.keep_alive());
}

TEST(HttpRequestHead, ChunkedAndExpectContinue) {
  HttpRequest req;
  ASSERT_TRUE(parse(
      "POST /v1/embeddings HTTP/1.1\r\nTransfer-Encoding: chunked\r\nExpect: 100-continue\r\n\r\n",
      req));
  EXPECT_TRUE(req.chunked());
  EXPECT_TRUE(req.expectsContinue());
  EXPECT_FALSE(req.contentLength());
}

TEST(HttpRequestHead, UnknownMethodsParseAsUnknown) {
  HttpRequest req;
  ASSERT_TRUE(parse("BREW /pot HTTP/1.1\r\n\r\n", req));
  EXPECT_EQ(req.method(), http::verb::unknown);
  EXPECT_EQ(req.method_string(), "BREW");
}

TEST(HttpRequestHead, RefusesMalformedHeads) {
  const char* bad[] = {
      "POST /\r\n\r\n",                                                     // no version
      "POST  / HTTP/1.1\r\n\r\n",                                           // empty target
      "post / HTTP/1.1\r\n\r\n",                                            // lower-case method
      "POST / HTTP/2.0\r\n\r\n",                                            // unsupported version
      "POST / HTTP/1.1\r\nNo colon here\r\n\r\n",                           // field without colon
      "POST / HTTP/1.1\r\nBad Name: x\r\n\r\n",                             // space in the name
      "POST / HTTP/1.1\r\nA: b\r\n folded\r\n\r\n",                         // obs-fold
      "POST / HTTP/1.1\r\nContent-Length: 1x\r\n\r\n",                      // bad number
      "POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",  // conflict
      "POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n",                 // not chunked
      "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n",  // smuggling
      "POST / HTTP/1.1\r\nA: b\x01\r\n\r\n",  // control character
  };
  for (const char* head : bad) {
    HttpRequest req;
    auto r = parse(head, req);
    ASSERT_FALSE(r) << head;
    EXPECT_EQ(r.error().status, 400) << head;
    EXPECT_NE(r.error().message.find("Malformed HTTP request"), std::string::npos);
  }
}

}  // namespace
}  // namespace switchyard
