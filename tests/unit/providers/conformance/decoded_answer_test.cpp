// The conformance suite's checks catch what they claim to: a summary of output that breaks the
// OpenAI format lists the problem.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "providers/conformance/decoded_answer.hpp"

namespace switchyard::conformance {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

DecodedAnswer stream(std::string sse) {
  DecodedAnswer a;
  a.raw = std::move(sse);
  summarizeStream(a);
  return a;
}

TEST(ConformanceSummary, AssemblesAStreamedToolCall) {
  const auto a = stream(
      R"(data: {"object":"chat.completion.chunk","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"c1","function":{"name":"f","arguments":"{\"a\""}}]},"finish_reason":null}]})"
      "\n\n"
      R"(data: {"object":"chat.completion.chunk","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":":1}"}}]},"finish_reason":"tool_calls"}],"usage":{"prompt_tokens":3,"completion_tokens":4,"total_tokens":7}})"
      "\n\ndata: [DONE]\n\n");
  EXPECT_THAT(a.problems, IsEmpty());
  ASSERT_EQ(a.toolCalls.size(), 1u);
  EXPECT_EQ(a.toolCalls[0].id, "c1");
  EXPECT_EQ(a.toolCalls[0].arguments, R"({"a":1})");
  EXPECT_THAT(a.finishReasons, ElementsAre("tool_calls"));
  EXPECT_EQ(a.usage.total, 7);
  EXPECT_EQ(a.doneCount, 1);
}

TEST(ConformanceSummary, ReportsWhatBreaksTheFormat) {
  EXPECT_THAT(stream("data: {oops\n\n").problems, ElementsAre(HasSubstr("not a JSON object")));
  EXPECT_THAT(stream(R"(data: {"object":"message","choices":[]})"
                     "\n\n")
                  .problems,
              ElementsAre(HasSubstr("not a chat.completion.chunk")));
  EXPECT_THAT(
      stream(
          R"(data: {"object":"chat.completion.chunk","choices":[{"index":0,"delta":{},"finish_reason":"end_turn"}]})"
          "\n\n")
          .problems,
      ElementsAre(HasSubstr("not an OpenAI one")));
  EXPECT_THAT(
      stream(
          R"(data: {"object":"chat.completion.chunk","choices":[{"index":0,"delta":{"tool_calls":[{"function":{"name":"f"}}]}}]})"
          "\n\n")
          .problems,
      ElementsAre(HasSubstr("without an index")));
  EXPECT_THAT(stream("data: [DONE]\n\ndata: [DONE]\n\n").problems,
              ElementsAre(HasSubstr("after [DONE]")));
  EXPECT_THAT(stream("data: [DONE]").problems, ElementsAre(HasSubstr("inside an event")));
}

TEST(ConformanceSummary, ChecksAWholeChatCompletion) {
  DecodedAnswer a;
  a.raw =
      R"({"object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":null,"tool_calls":[{"id":"c","type":"function","function":{"name":"f","arguments":"{}"}}]},"finish_reason":"tool_calls"}],"usage":{"prompt_tokens":1,"completion_tokens":2,"total_tokens":3,"completion_tokens_details":{"reasoning_tokens":1}}})";
  summarizeBody(a);
  EXPECT_THAT(a.problems, IsEmpty());
  EXPECT_EQ(a.object, "chat.completion");
  ASSERT_EQ(a.toolCalls.size(), 1u);
  EXPECT_EQ(a.usage.reasoning, 1);

  DecodedAnswer bad;
  bad.raw = R"({"object":"chat.completion","choices":[{"message":{"content":5}}]})";
  summarizeBody(bad);
  EXPECT_THAT(bad.problems, ElementsAre(HasSubstr("content is neither")));
}

}  // namespace
}  // namespace switchyard::conformance
