// The client's text of a /v1/messages body: where the model's value and the routing fields are,
// and the text spliced for an Anthropic upstream (only those changed, every other byte kept).

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <filesystem>
#include <random>

#include "api/anthropic/messages_request_text.hpp"
#include "support/fixtures.hpp"

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

// The spliced text of `body` says what its parsed tree says, with the model replaced and the
// routing fields gone.
void expectSpliceAgreesWithTheTree(const std::string& body) {
  const json::object tree = json::parse(body).as_object();
  std::string out;
  clientTextOf(body).spliceInto("up \"model\"", out);
  boost::system::error_code ec;
  const json::value got = json::parse(out, ec);
  ASSERT_FALSE(ec) << out;
  json::object want = tree;
  want["model"] = "up \"model\"";
  want.erase("models");
  want.erase("provider");
  EXPECT_EQ(got, want) << out;
}

TEST(AnthropicClientText, EveryRecordedJsonObjectWithAModelSplices) {
  size_t checked = 0;
  for (const auto& entry :
       std::filesystem::recursive_directory_iterator(testing::fixturePath(""))) {
    if (entry.path().extension() != ".json") continue;
    std::string text = testing::readFixture(
        std::filesystem::relative(entry.path(), testing::fixturePath("")).string());
    boost::system::error_code ec;
    const json::value v = json::parse(text, ec);
    if (ec || !v.is_object() || !v.as_object().contains("model")) continue;
    SCOPED_TRACE(entry.path().string());
    expectSpliceAgreesWithTheTree(text);
    ++checked;
  }
  EXPECT_GT(checked, 20u);
}

TEST(AnthropicClientText, AnyOrderAndSpacingOfMembers) {
  const std::vector<std::string> members = {
      R"("model":"claude")",
      R"("models":["a","b"])",
      R"("provider":{"order":["x"]})",
      R"("messages":[{"role":"user","content":"a \"}\" ]\\"}])",
      R"("max_tokens":16)",
      R"("metadata":{"model":"inner","provider":"inner"})",
      R"("stream":false)",
      R"("system":"")",
  };
  const std::vector<std::string> spaces = {"", " ", "\n  ", "\t"};
  std::mt19937 rng(15);
  for (int round = 0; round < 500; ++round) {
    std::vector<std::string> chosen = members;
    std::shuffle(chosen.begin(), chosen.end(), rng);
    chosen.resize(1 + rng() % chosen.size());
    if (std::find(chosen.begin(), chosen.end(), members[0]) == chosen.end()) {
      chosen.push_back(members[0]);
    }
    auto space = [&] { return spaces[rng() % spaces.size()]; };
    std::string body = space() + "{";
    for (size_t i = 0; i < chosen.size(); ++i) {
      if (i > 0) body += space() + ",";
      body += space() + chosen[i] + space();
    }
    body += "}" + space();
    SCOPED_TRACE(body);
    expectSpliceAgreesWithTheTree(body);
  }
}

}  // namespace
}  // namespace switchyard::anthropic_in
