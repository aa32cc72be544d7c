// The cache key: what counts as the same request, and what never does.

#include "stages/cache/cache_key.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace switchyard {
namespace {

std::string canonical(std::string_view body) {
  return canonicalRequestText(boost::json::parse(body).as_object());
}

CacheKey keyOf(std::string_view body, std::string_view ns = "key:a",
               std::string_view endpoint = "chat", std::string_view route = "m") {
  const std::string text = canonical(body);
  return cacheKeyOf({ns, endpoint, route, "", text});
}

TEST(CacheKey, MemberOrderAndNumberSpellingDoNotMatter) {
  EXPECT_EQ(canonical(R"({"temperature":0.70,"messages":[{"role":"user","content":"hi"}]})"),
            canonical(R"({"messages":[{"content":"hi","role":"user"}],"temperature":0.7})"));
  EXPECT_EQ(canonical(R"({"max_tokens":16.0})"), canonical(R"({"max_tokens":16})"));
  EXPECT_EQ(canonical(R"({"b":1,"a":{"d":[1,2],"c":null}})"),
            R"({"a":{"c":null,"d":[1,2]},"b":1})");
}

TEST(CacheKey, DeliveryAndAccountingMembersAreLeftOut) {
  const auto base = keyOf(R"({"messages":[{"role":"user","content":"hi"}]})");
  EXPECT_EQ(base, keyOf(R"({"messages":[{"role":"user","content":"hi"}],"stream":true,
                          "stream_options":{"include_usage":true},"user":"u1",
                          "metadata":{"x":1},"cache":{"ttl":5},"model":"other"})"));
}

TEST(CacheKey, WhatChangesTheAnswerChangesTheKey) {
  const std::string_view base = R"({"messages":[{"role":"user","content":"hi"}]})";
  const auto k = keyOf(base);
  for (
      std::string_view other : {
          R"({"messages":[{"role":"user","content":"hi!"}]})",
          R"({"messages":[{"role":"system","content":"hi"}]})",
          R"({"messages":[{"role":"user","content":"hi"}],"temperature":0.2})",
          R"({"messages":[{"role":"user","content":"hi"}],"seed":1})",
          R"({"messages":[{"role":"user","content":"hi"}],"tools":[]})",
          R"({"messages":[{"role":"user","content":"hi"}],"response_format":{"type":"json_object"}})",
          R"({"messages":[{"role":"user","content":"hi"}],"n":2})",
          R"({"messages":[{"role":"user","content":"hi"}],"some_new_field":true})",
      }) {
    EXPECT_NE(k, keyOf(other)) << other;
  }
  // A nested member named like a left-out top-level one still counts.
  EXPECT_NE(keyOf(R"({"messages":[{"role":"user","content":"hi","user":"a"}]})"),
            keyOf(R"({"messages":[{"role":"user","content":"hi","user":"b"}]})"));
}

TEST(CacheKey, NamespaceEndpointAndRouteSeparateEntries) {
  const std::string_view body = R"({"messages":[{"role":"user","content":"hi"}]})";
  const auto k = keyOf(body);
  EXPECT_NE(k, keyOf(body, "key:b"));
  EXPECT_NE(k, keyOf(body, "key:a", "messages"));
  EXPECT_NE(k, keyOf(body, "key:a", "chat", "m2"));
  // Parts are length-prefixed: moving a boundary never yields the same key.
  EXPECT_NE(cacheKeyOf({"ab", "c", "m", "", "{}"}), cacheKeyOf({"a", "bc", "m", "", "{}"}));
}

}  // namespace
}  // namespace switchyard
