// OpenAI usage: the tree reader and the body scanner agree, details and host quirks included.

#include "providers/openai/openai_usage.hpp"
#include "api/openai/usage_json.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace switchyard {
namespace {

Usage scan(std::string_view body) {
  Usage u;
  EXPECT_TRUE(scanOpenAiUsage(body, u)) << body;
  return u;
}

TEST(OpenAiUsage, ScansTheTopLevelUsageWithDetails) {
  const std::string body =
      R"({"id":"x","choices":[{"message":{"content":"say \"usage\": {\"prompt_tokens\": 999}"}}],)"
      R"("usage":{"prompt_tokens":24,"completion_tokens":41,"total_tokens":65,)"
      R"("prompt_tokens_details":{"cached_tokens":8,"audio_tokens":0,"list":[{"cached_tokens":1}]},)"
      R"("completion_tokens_details":{"reasoning_tokens":12}},"system_fingerprint":"fp"})";
  const Usage u = scan(body);
  EXPECT_TRUE(u.present);
  EXPECT_EQ(u.promptTokens, 24);
  EXPECT_EQ(u.completionTokens, 41);
  EXPECT_EQ(u.totalTokens, 65);
  EXPECT_EQ(u.cachedPromptTokens, 8);
  EXPECT_EQ(u.reasoningTokens, 12);

  Usage tree;
  readOpenAiUsage(boost::json::parse(body).as_object().at("usage"), tree);
  EXPECT_EQ(tree.promptTokens, u.promptTokens);
  EXPECT_EQ(tree.cachedPromptTokens, u.cachedPromptTokens);
  EXPECT_EQ(tree.reasoningTokens, u.reasoningTokens);
  EXPECT_EQ(tree.totalTokens, u.totalTokens);
}

TEST(OpenAiUsage, FillsTotalsAndTopLevelReasoning) {
  const Usage u = scan(R"({"usage": {"prompt_tokens": 3, "completion_tokens": 4.0,)"
                       R"( "reasoning_tokens": 2, "note": "x", "flag": true, "n": null}})");
  EXPECT_EQ(u.totalTokens, 7);
  EXPECT_EQ(u.completionTokens, 4);
  EXPECT_EQ(u.reasoningTokens, 2);
}

TEST(OpenAiUsage, LongKeysAndLettersAfterTheUsageMisleadNothing) {
  const Usage u =
      scan(R"({"usage":{"prompt_tokens_counted_by_some_host_with_a_rather_long_name":99,)"
           R"("prompt_tokens":5,"completion_tokens":6},"logging":"gg \"usage\" g","tag":"ug"})");
  EXPECT_EQ(u.promptTokens, 5);
  EXPECT_EQ(u.completionTokens, 6);
  EXPECT_EQ(u.totalTokens, 11);
}

TEST(OpenAiUsage, NoUsageOrANullOne) {
  Usage u;
  EXPECT_FALSE(scanOpenAiUsage(R"({"id":"x","choices":[]})", u));
  EXPECT_FALSE(scanOpenAiUsage(R"({"id":"x","usage":null})", u));
  EXPECT_FALSE(scanOpenAiUsage(R"({"usage":{"prompt_tokens":)", u));  // cut off
  EXPECT_FALSE(u.present);
}

// Plain usage objects are read by hand, anything else by the JSON parser: both must read what the
// parsed tree says, whichever way an object is written.
TEST(OpenAiUsage, PlainAndUnusualObjectsReadAlike) {
  for (
      std::string_view usage : {
          R"({"prompt_tokens":9,"completion_tokens":3,"total_tokens":12})",
          R"({ "prompt_tokens" : 9 ,
 "completion_tokens":3 , "total_tokens" : 12 })",
          R"({"prompt_tokens":10,"prompt_tokens_details":{"cached_tokens":4},)"
          R"("completion_tokens_details":{"reasoning_tokens":2},"completion_tokens":5})",
          R"({})",
          R"({"prompt_tokens_details":{},"prompt_tokens":0})",
          R"({"prompt_tokens":7,"prompt_tokens":8,"completion_tokens":1})",
          R"({"prompt_tokens":1e2,"completion_tokens":3})",
          R"({"prompt_tokens":2.0,"completion_tokens":3})",
          R"({"prompt_tokens":123456789012345678901,"completion_tokens":3})",
          R"({"prompt_tokens":5,"completion_tokens":null,"model":"m"})",
          R"({"prompt_\u0074okens":6,"completion_tokens":1})",
          R"({"prompt_tokens":6,"prompt_tokens_details":{"cached_tokens":2,"x":{"cached_tokens":9}}})",
          R"({"prompt_tokens":6,"extra":[1,{"prompt_tokens":99}],"completion_tokens":2})",
      }) {
    const std::string body = R"({"id":"x","usage":)" + std::string(usage) + "}";
    Usage scanned, tree;
    ASSERT_TRUE(scanOpenAiUsage(body, scanned)) << usage;
    readOpenAiUsage(boost::json::parse(body).as_object().at("usage"), tree);
    EXPECT_EQ(scanned.promptTokens, tree.promptTokens) << usage;
    EXPECT_EQ(scanned.completionTokens, tree.completionTokens) << usage;
    EXPECT_EQ(scanned.totalTokens, tree.totalTokens) << usage;
    EXPECT_EQ(scanned.cachedPromptTokens, tree.cachedPromptTokens) << usage;
    EXPECT_EQ(scanned.reasoningTokens, tree.reasoningTokens) << usage;
  }
  // Broken objects are not guessed at, however plain they start.
  for (std::string_view broken :
       {R"({"prompt_tokens":01})", R"({"prompt_tokens":-1,})",
        R"({"prompt_tokens":1 "completion_tokens":2})", R"({"prompt_tokens":1,})"}) {
    Usage u;
    EXPECT_FALSE(scanOpenAiUsage(R"({"usage":)" + std::string(broken) + "}", u)) << broken;
  }
}

TEST(OpenAiUsage, WritesTheObjectItReads) {
  Usage u;
  u.present = true;
  u.promptTokens = 30;
  u.completionTokens = 12;
  u.totalTokens = 42;
  u.cachedPromptTokens = 8;
  u.reasoningTokens = 5;
  const auto written = openAiUsageJson(u);
  EXPECT_EQ(written, boost::json::parse(R"({"prompt_tokens":30,"completion_tokens":12,
      "total_tokens":42,"prompt_tokens_details":{"cached_tokens":8},
      "completion_tokens_details":{"reasoning_tokens":5}})"));
  Usage back;
  readOpenAiUsage(written, back);
  EXPECT_EQ(back.promptTokens, 30);
  EXPECT_EQ(back.completionTokens, 12);
  EXPECT_EQ(back.totalTokens, 42);
  EXPECT_EQ(back.cachedPromptTokens, 8);
  EXPECT_EQ(back.reasoningTokens, 5);
}

}  // namespace
}  // namespace switchyard
