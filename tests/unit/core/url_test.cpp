#include "core/url.hpp"

#include <gtest/gtest.h>

namespace switchyard {
namespace {

TEST(ParseUrl, SplitsTheParts) {
  auto u = parseUrl("https://api.openai.com/v1/");
  ASSERT_TRUE(u);
  EXPECT_TRUE(u->tls);
  EXPECT_EQ(u->host, "api.openai.com");
  EXPECT_EQ(u->port, 443);
  EXPECT_EQ(u->path, "/v1");
  EXPECT_EQ(u->hostHeader(), "api.openai.com");
  EXPECT_EQ(u->origin(), "https://api.openai.com");
}

TEST(ParseUrl, KeepsPortAndQuery) {
  auto u = parseUrl("http://127.0.0.1:8080/openai?x=1");
  ASSERT_TRUE(u);
  EXPECT_FALSE(u->tls);
  EXPECT_EQ(u->port, 8080);
  EXPECT_EQ(u->path, "/openai");
  EXPECT_EQ(u->query, "x=1");
  EXPECT_EQ(u->hostHeader(), "127.0.0.1:8080");
  EXPECT_EQ(u->toString(), "http://127.0.0.1:8080/openai?x=1");
}

TEST(ParseUrl, HandlesIpv6Literals) {
  auto u = parseUrl("http://[::1]:9000");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->host, "::1");
  EXPECT_EQ(u->hostHeader(), "[::1]:9000");
}

TEST(ParseUrl, RejectsWhatCannotBeAnUpstream) {
  EXPECT_FALSE(parseUrl("ftp://x"));
  EXPECT_FALSE(parseUrl("api.openai.com/v1"));
  EXPECT_FALSE(parseUrl("http://"));
  EXPECT_FALSE(parseUrl("http://h:0"));
  EXPECT_FALSE(parseUrl("http://h:99999"));
  EXPECT_FALSE(parseUrl("not a url"));
}

}  // namespace
}  // namespace switchyard
