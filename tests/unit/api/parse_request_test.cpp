#include "api/openai/parse_request.hpp"

#include <gtest/gtest.h>

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
  EXPECT_TRUE(r->body.contains("extra"));  // unknown fields pass through
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

}  // namespace
}  // namespace switchyard
