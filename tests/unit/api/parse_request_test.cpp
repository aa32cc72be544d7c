#include "api/openai/parse_request.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace switchyard {
namespace {

TEST(ParseOpenAiRequest, AcceptsAChatRequest) {
  auto r = parseOpenAiRequest(
      Endpoint::kChatCompletions,
      R"({"model":"gpt-4o","messages":[{"role":"user","content":"hi"}],"stream":true,
          "stream_options":{"include_usage":true},"temperature":0.2,"n":1,"extra":{"x":1}})");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->model, "gpt-4o");
  EXPECT_TRUE(r->stream);
  EXPECT_TRUE(r->clientWantsUsage);
  EXPECT_TRUE(r->body().contains("extra"));  // unknown fields pass through
}

TEST(ParseOpenAiRequest, StreamDefaultsOffAndUsageUnrequested) {
  auto r = parseOpenAiRequest(Endpoint::kChatCompletions,
                              R"({"model":"m","messages":[{"role":"user","content":"hi"}]})");
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->stream);
  EXPECT_FALSE(r->clientWantsUsage);
}

struct BadCase {
  Endpoint endpoint;
  const char* body;
  const char* param;
  const char* messagePart;
};

class ParseOpenAiRequestRejects : public ::testing::TestWithParam<BadCase> {};

TEST_P(ParseOpenAiRequestRejects, WithA400NamingTheField) {
  const auto& c = GetParam();
  auto r = parseOpenAiRequest(c.endpoint, c.body);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().status, 400);
  EXPECT_EQ(r.error().cls, ErrorClass::kBadRequest);
  EXPECT_EQ(r.error().param, c.param);
  EXPECT_NE(r.error().message.find(c.messagePart), std::string::npos) << r.error().message;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, ParseOpenAiRequestRejects,
    ::testing::Values(
        BadCase{Endpoint::kChatCompletions, "{not json", "", "could not parse the JSON"},
        BadCase{Endpoint::kChatCompletions, "[1,2]", "", "must be a JSON object"},
        BadCase{Endpoint::kChatCompletions, R"({"messages":[]})", "model", "Missing required"},
        BadCase{Endpoint::kChatCompletions, R"({"model":5,"messages":[]})", "model",
                "expected a string, but got an integer"},
        BadCase{Endpoint::kChatCompletions, R"({"model":"","messages":[]})", "model", "empty"},
        BadCase{Endpoint::kChatCompletions, R"({"model":"m"})", "messages", "Missing required"},
        BadCase{Endpoint::kChatCompletions, R"({"model":"m","messages":"hi"})", "messages",
                "expected an array"},
        BadCase{Endpoint::kChatCompletions, R"({"model":"m","messages":[]})", "messages",
                "empty array"},
        BadCase{Endpoint::kChatCompletions, R"({"model":"m","messages":[3]})", "messages[0]",
                "expected an object"},
        BadCase{Endpoint::kChatCompletions, R"({"model":"m","messages":[{"content":"x"}]})",
                "messages[0].role", "Missing required"},
        BadCase{Endpoint::kChatCompletions,
                R"({"model":"m","messages":[{"role":"user"}],"stream":"yes"})", "stream",
                "expected a boolean"},
        BadCase{Endpoint::kChatCompletions,
                R"({"model":"m","messages":[{"role":"user"}],"temperature":"hot"})", "temperature",
                "expected a number"},
        BadCase{Endpoint::kChatCompletions,
                R"({"model":"m","messages":[{"role":"user"}],"max_tokens":1.5})", "max_tokens",
                "expected an integer"},
        BadCase{
            Endpoint::kChatCompletions,
            R"({"model":"m","messages":[{"role":"user"}],"stream_options":{"include_usage":1}})",
            "stream_options.include_usage", "expected a boolean"},
        BadCase{Endpoint::kCompletions, R"({"model":"m"})", "prompt", "Missing required"},
        BadCase{Endpoint::kEmbeddings, R"({"model":"m","input":7})", "input",
                "a string or an array"},
        BadCase{Endpoint::kEmbeddings, R"({"model":"m","input":[]})", "input", "empty array"}));

TEST(ParseOpenAiRequest, RejectsAbsurdNesting) {
  std::string deep = R"({"model":"m","messages":[{"role":"user","content":)";
  for (int i = 0; i < 200; ++i) deep += "[";
  for (int i = 0; i < 200; ++i) deep += "]";
  deep += "}]}";
  auto r = parseOpenAiRequest(Endpoint::kChatCompletions, deep);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().status, 400);
}

TEST(ParseOpenAiRequest, AcceptsNullForOptionalFields) {
  auto r = parseOpenAiRequest(
      Endpoint::kChatCompletions,
      R"({"model":"m","messages":[{"role":"user","content":null}],"temperature":null,"stop":null})");
  ASSERT_TRUE(r) << r.error().message;
}

// The model's value as the splice would replace it, or "<none>" when the text is not spliced.
std::string modelText(const Result<ApiRequest>& r) {
  if (!r || r->rawBody.empty()) return "<none>";
  return std::string(r->rawBody.substr(r->modelSpan.begin, r->modelSpan.end - r->modelSpan.begin));
}

Result<ApiRequest> chat(std::string_view text) {
  return parseOpenAiRequest(Endpoint::kChatCompletions, text);
}

TEST(ParseOpenAiRequest, FindsTheModelInTheClientsText) {
  const std::string_view text =
      R"( { "a" : 1 , "model":"gpt-4o" ,"m":[{"model":"inner"}], "messages":[{"role":"user",)"
      R"("content":"say \"model\":\"x\""}], "o":{"x":[1,{"y":"}"}]}, "t":true} )";
  auto r = chat(text);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->rawBody, text);
  EXPECT_EQ(modelText(r), R"("gpt-4o")");
  EXPECT_EQ(modelText(chat(R"({"messages":[{"role":"user"}],"model" : "m"})")), R"("m")");
}

TEST(ParseOpenAiRequest, LeavesTheTextWhenTheTreeMustDecide) {
  // A model written with escapes is only known decoded.
  auto escaped = chat(R"({"model":"m\"q","messages":[{"role":"user"}]})");
  ASSERT_TRUE(escaped);
  EXPECT_EQ(escaped->model, "m\"q");
  EXPECT_EQ(modelText(escaped), "<none>");
  // Duplicates: the tree keeps the last one; other parsers may read the first.
  auto twice = chat(R"({"model":"a","messages":[{"role":"user"}],"model":"b"})");
  ASSERT_TRUE(twice);
  EXPECT_EQ(twice->model, "b");
  EXPECT_EQ(twice->body().at("model").as_string(), "b");
  EXPECT_EQ(modelText(twice), "<none>");
  // A key spelt with escapes is the same key.
  auto spelt = chat(R"({"mod\u0065l":"a","messages":[{"role":"user"}],"model":"b"})");
  ASSERT_TRUE(spelt);
  EXPECT_EQ(spelt->model, "b");
  EXPECT_EQ(modelText(spelt), "<none>");
  // Alone, an escaped key still names the model, whose value is plain text.
  EXPECT_EQ(modelText(chat(R"({"mod\u0065l":"a","messages":[{"role":"user"}]})")), R"("a")");
}

TEST(ParseOpenAiRequest, LongStringsWithEscapesAnywhere) {
  // Escapes before, at and after the first 64 bytes of a string.
  std::string content;
  for (int i = 0; i < 40; ++i) content += i % 7 == 0 ? "\\\"" : "ab";
  content += "\\\\";
  const std::string text =
      R"({"messages":[{"role":"user","content":")" + content + R"("}],"model":"m"})";
  auto r = chat(text);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(modelText(r), R"("m")");
  EXPECT_FALSE(chat(std::string_view(text).substr(0, 60)));
}

TEST(ParseOpenAiRequest, BuildsTheTreeOnlyWhenAsked) {
  const std::string text =
      R"({"model":"m","messages":[{"role":"user","content":"hi"}],"seed":7,"models":["a"]})";
  auto r = chat(text);
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->has("models"));
  EXPECT_FALSE(r->has("provider"));
  EXPECT_FALSE(r->has("stream_options"));
  EXPECT_EQ(r->rawBody, text);  // asking did not edit
  EXPECT_EQ(r->body(), boost::json::parse(text).as_object());
  EXPECT_TRUE(r->has("seed"));  // not noted by the scan: answered by the tree
  r->editBody()["seed"] = 8;
  EXPECT_TRUE(r->rawBody.empty());
  EXPECT_EQ(r->body().at("seed").as_int64(), 8);
}

TEST(ParseOpenAiRequest, ReadsTheSamplingParameters) {
  auto r = chat(R"({"model":"m","messages":[{"role":"user"}],"max_tokens":5,"temperature":0.5,)"
                R"("top_p":1,"max_completion_tokens":null})");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->parameters.maxTokens.type, RequestNumber::Type::kInt);
  EXPECT_EQ(r->parameters.maxTokens.i, 5);
  EXPECT_EQ(r->parameters.temperature.type, RequestNumber::Type::kReal);
  EXPECT_EQ(r->parameters.temperature.d, 0.5);
  EXPECT_EQ(r->parameters.topP.i, 1);
  EXPECT_EQ(r->parameters.maxCompletionTokens.type, RequestNumber::Type::kNone);
  // The last of a repeated member counts, as in the tree.
  auto twice = chat(R"({"model":"m","messages":[{"role":"user"}],"max_tokens":5,"max_tokens":6})");
  ASSERT_TRUE(twice);
  EXPECT_EQ(twice->parameters.maxTokens.i, 6);
}

TEST(ParseOpenAiRequest, JudgesRepeatedMembersByTheirLastValue) {
  // As the tree would: the last value counts, at the place of the first.
  EXPECT_TRUE(chat(R"({"model":"m","messages":[{"role":"user"}],"stream":"x","stream":true})"));
  auto r = chat(R"({"model":"m","messages":[{"role":"user"}],"stream":true,"stream":1})");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().param, "stream");
  auto order =
      chat(R"({"model":"m","messages":[{"role":"user"}],"n":"x","temperature":"x","n":"y"})");
  ASSERT_FALSE(order);
  EXPECT_EQ(order.error().param, "n");
  auto messages = chat(R"({"model":"m","messages":[3],"messages":[{"role":"user"}]})");
  EXPECT_TRUE(messages) << messages.error().message;
  auto role = chat(R"({"model":"m","messages":[{"role":"user"},{"role":"a","role":2}]})");
  ASSERT_FALSE(role);
  EXPECT_EQ(role.error().param, "messages[1].role");
}

TEST(ParseOpenAiRequest, RefusesTextAfterTheBody) {
  auto r = chat(R"({"model":"m","messages":[{"role":"user"}]} x)");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("could not parse"), std::string::npos);
  EXPECT_TRUE(chat("\n {\"model\":\"m\",\"messages\":[{\"role\":\"user\"}]} \r\n"));
}

}  // namespace
}  // namespace switchyard
