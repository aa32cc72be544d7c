// LiteLLM's per-request cache controls and the Cache-Control header.

#include "stages/cache/cache_controls.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace switchyard {
namespace {

using namespace std::chrono_literals;

Result<CacheControls> read(std::string_view body, std::string_view header = "") {
  return readCacheControls(boost::json::parse(body).as_object(), header);
}

TEST(CacheControls, BodyMember) {
  auto c = read(R"({"cache":{"no-cache":true,"ttl":300,"s-maxage":1.5,"namespace":"docs"}})");
  ASSERT_TRUE(c);
  EXPECT_TRUE(c->noCache);
  EXPECT_FALSE(c->noStore);
  EXPECT_EQ(c->ttl, 300s);
  EXPECT_EQ(c->maxAge, 1500ms);
  EXPECT_EQ(c->nameSpace, "docs");
  EXPECT_TRUE(read(R"({"cache":{"no-store":true}})")->noStore);
  EXPECT_TRUE(read(R"({"cache":{"use-cache":true}})")->useCache);
}

TEST(CacheControls, Header) {
  auto c = read("{}", "no-store, max-age=60");
  ASSERT_TRUE(c);
  EXPECT_TRUE(c->noStore);
  EXPECT_FALSE(c->noCache);
  EXPECT_EQ(c->maxAge, 60s);
  EXPECT_TRUE(read("{}", "no-cache")->noCache);
  EXPECT_FALSE(read("{}", "private, max-age=abc")->maxAge);  // what it does not know is ignored
}

TEST(CacheControls, MalformedControlsAreClientErrors) {
  for (std::string_view body : {R"({"cache":true})", R"({"cache":{"ttl":"soon"}})",
                                R"({"cache":{"ttl":-1}})", R"({"cache":{"no-cache":"yes"}})",
                                R"({"cache":{"namespace":""}})", R"({"cache":{"nocache":true}})"}) {
    auto c = read(body);
    ASSERT_FALSE(c) << body;
    EXPECT_EQ(c.error().status, 400) << body;
  }
}

}  // namespace
}  // namespace switchyard
