#include "api/json_text.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace switchyard {
namespace {

std::string valueAt(std::string_view text, std::string_view key) {
  auto span = findTopLevelMember(text, key);
  if (!span) return "<none>";
  return std::string(text.substr(span->begin, span->end - span->begin));
}

TEST(FindTopLevelMember, FindsStringsNumbersAndContainers) {
  const std::string_view text =
      R"( { "a" : 1 , "model":"gpt-4o" ,"m":[{"model":"inner"}], "o":{"x":[1,{"y":"}"}]}, "t":true})";
  EXPECT_EQ(valueAt(text, "model"), R"("gpt-4o")");
  EXPECT_EQ(valueAt(text, "a"), "1");
  EXPECT_EQ(valueAt(text, "m"), R"([{"model":"inner"}])");
  EXPECT_EQ(valueAt(text, "o"), R"({"x":[1,{"y":"}"}]})");
  EXPECT_EQ(valueAt(text, "t"), "true");
  EXPECT_EQ(valueAt(text, "absent"), "<none>");
}

TEST(FindTopLevelMember, SkipsEscapedQuotesInsideStrings) {
  const std::string_view text =
      R"({"messages":[{"content":"say \"model\":\"x\" \\"}],"model":"m\"q"})";
  EXPECT_EQ(valueAt(text, "model"), R"("m\"q")");
}

TEST(FindTopLevelMember, LongStringsWithEscapesAnywhere) {
  // Escapes before, at and after the first 64 bytes of a string, where the scan changes pace.
  std::string content;
  for (int i = 0; i < 40; ++i) content += i % 7 == 0 ? "\\\"" : "ab";
  content += "\\\\";
  const std::string text = R"({"messages":[{"content":")" + content + R"("}],"model":"m"})";
  ASSERT_TRUE(boost::json::parse(text).is_object());
  EXPECT_EQ(valueAt(text, "model"), R"("m")");
  // A long key with an escape far into it could spell anything: refused.
  const std::string longKey = R"({")" + std::string(70, 'k') + R"(\u0041":1,"model":"m"})";
  EXPECT_EQ(valueAt(longKey, "model"), "<none>");
  // Cut inside the long string: no closing quote, no answer.
  EXPECT_EQ(valueAt(text.substr(0, 60), "model"), "<none>");
  EXPECT_EQ(valueAt(text.substr(0, 100), "model"), "<none>");
}

TEST(FindTopLevelMember, RefusesWhatTheParsedTreeMustDecide) {
  // Duplicates: which one counts is the parser's call.
  EXPECT_EQ(valueAt(R"({"model":"a","model":"b"})", "model"), "<none>");
  // A key spelt with escapes could be the same key.
  EXPECT_EQ(valueAt(R"({"mod\u0065l":"a","model":"b"})", "model"), "<none>");
  // Not an object, or cut short.
  EXPECT_EQ(valueAt(R"(["model","x"])", "model"), "<none>");
  EXPECT_EQ(valueAt(R"({"model":"x)", "model"), "<none>");
  EXPECT_EQ(valueAt(R"({"a":[1,2)", "a"), "<none>");
  EXPECT_EQ(valueAt("", "model"), "<none>");
}

TEST(AppendJsonString, QuotesAndEscapes) {
  std::string out;
  appendJsonString(out, "a\"b\\c\nd\x01");
  EXPECT_EQ(out, R"("a\"b\\c\nd\u0001")");
  EXPECT_EQ(boost::json::parse(out).as_string(), "a\"b\\c\nd\x01");
}

}  // namespace
}  // namespace switchyard
