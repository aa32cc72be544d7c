// The client's text of a /v1/messages body: where the model's value and the routing fields are,
// and the text spliced for an Anthropic upstream (only those changed, every other byte kept).

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "api/anthropic/messages_request_text.hpp"

namespace switchyard::anthropic_in {
namespace {

namespace json = boost::json;

std::string spliced(std::string_view body, std::string_view model = "claude-up") {
  const ClientText t = clientTextOf(body);
  EXPECT_FALSE(t.empty()) << body;
  std::string out;
  t.spliceInto(model, out);
  return out;
}

TEST(AnthropicClientText, OnlyTheModelsValueChanges) {
  EXPECT_EQ(spliced(R"({"model":"claude","max_tokens":5,"messages":[]})"),
            R"({"model":"claude-up","max_tokens":5,"messages":[]})");
  // Spacing, escapes in the client's model name and nested look-alikes stay as they were.
  const std::string pretty =
      "{\n  \"max_tokens\" : 5 ,\n  \"metadata\": {\"model\": \"x\"},\n"
      "  \"model\" :\t\"cl\\\"au\\\\de\"  \n}\n";
  EXPECT_EQ(spliced(pretty),
            "{\n  \"max_tokens\" : 5 ,\n  \"metadata\": {\"model\": \"x\"},\n"
            "  \"model\" :\t\"claude-up\"  \n}\n");
  // The deployment's name is escaped as a JSON string.
  EXPECT_EQ(spliced(R"({"model":"c"})", "a\"b"), R"({"model":"a\"b"})");
}

TEST(AnthropicClientText, StringsWithBracketsQuotesAndBackslashesAreSkippedWhole) {
  const std::string body =
      R"({"system":"} ] { [ \" \\","messages":[{"content":"\\\\\"}"}],"x":[1,{"a":"]"}],)"
      R"("model":"m","n":-1.5e3,"t":true,"z":null})";
  const ClientText t = clientTextOf(body);
  ASSERT_FALSE(t.empty());
  EXPECT_EQ(body.substr(t.model.begin, t.model.end - t.model.begin), R"("m")");
}

TEST(AnthropicClientText, RoutingFieldsAreCutWhereverTheyAre) {
  const std::string rest = R"("model":"m","max_tokens":1)";
  const std::string models = R"("models":["a","b"])";
  const std::string provider = R"("provider":{"order":["x"],"sort":"price"})";
  const std::vector<std::string> bodies = {
      "{" + models + "," + rest + "}",
      "{" + rest + "," + models + "}",
      "{" + models + "," + provider + "," + rest + "}",
      "{" + rest + "," + provider + "," + models + "}",
      R"({"model":"m",)" + models + R"(,"max_tokens":1,)" + provider + "}",
      "{ " + provider + " ,\n " + models + " , " + rest + " }",
  };
  const json::value want = json::parse(R"({"model":"claude-up","max_tokens":1})");
  for (const auto& b : bodies) {
    SCOPED_TRACE(b);
    const std::string out = spliced(b);
    boost::system::error_code ec;
    const json::value got = json::parse(out, ec);
    ASSERT_FALSE(ec) << out;
    EXPECT_EQ(got, want) << out;
  }
}

TEST(AnthropicClientText, TextThatMightSayOtherThanTheParsedBodyIsNotUsed) {
  EXPECT_TRUE(clientTextOf(R"({"model":"a","model":"b"})").empty());
  EXPECT_TRUE(clientTextOf(R"({"model":"a","stream":true,"stream":false})").empty());
  EXPECT_TRUE(clientTextOf(R"({"mod\u0065l":"a"})").empty());
  EXPECT_TRUE(clientTextOf(R"({"max_tokens":1})").empty());
  EXPECT_TRUE(clientTextOf("[1]").empty());
}

}  // namespace
}  // namespace switchyard::anthropic_in
