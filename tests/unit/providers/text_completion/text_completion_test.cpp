// text-completion-openai/: chat requests → legacy completions bodies, legacy answers and streams
// → chat, and /v1/completions requests forwarded as they are.

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "api/openai/parse_request.hpp"
#include "providers/bedrock/chunk_assembly.hpp"
#include "providers/text_completion/text_completion_adapter.hpp"
#include "support/openai_chunks.hpp"

namespace switchyard {
namespace {

namespace json = boost::json;

json::object parseObject(std::string_view s) { return json::parse(s).as_object(); }

Deployment instruct() {
  Deployment d;
  d.id = "instruct#0";
  d.provider = "text-completion-openai";
  d.format = WireFormat::kTextCompletion;
  d.upstreamModel = "gpt-3.5-turbo-instruct";
  d.apiBase = *parseUrl("https://api.openai.com/v1");
  d.apiKey = "sk-test";
  return d;
}

TEST(TextCompletionRequest, MessagesBecomeOnePromptAndParametersCarryOver) {
  auto out = text_completion::toCompletion(parseObject(R"({
      "messages": [{"role": "system", "content": "Complete the list."},
                   {"role": "user", "content": [{"type": "text", "text": "1, 2, 3,"}]}],
      "max_completion_tokens": 5, "temperature": 0, "stop": ["\n"], "n": 2, "seed": 1,
      "logprobs": true, "top_logprobs": 3, "user": "u", "suffix": "!"})"),
                                           "gpt-3.5-turbo-instruct", true, false);
  ASSERT_TRUE(out) << out.error().message;
  EXPECT_EQ(json::value(*out), json::parse(R"({
      "model": "gpt-3.5-turbo-instruct", "prompt": "Complete the list.\n\n1, 2, 3,",
      "temperature": 0, "n": 2, "stop": ["\n"], "seed": 1, "user": "u", "suffix": "!",
      "max_tokens": 5, "logprobs": 3, "stream": true, "stream_options": {"include_usage": true}})"))
      << json::serialize(*out);
}

TEST(TextCompletionRequest, WhatAPromptCannotSayIsRefusedUnlessDropped) {
  const auto tools = parseObject(R"({"messages":[{"role":"user","content":"hi"}],
      "tools":[{"type":"function","function":{"name":"f"}}]})");
  auto refused = text_completion::toCompletion(tools, "m", false, false);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().param, "tools");
  EXPECT_TRUE(text_completion::toCompletion(tools, "m", false, true));
  EXPECT_FALSE(text_completion::toCompletion(
      parseObject(R"({"messages":[{"role":"user","content":[{"type":"image_url",
          "image_url":{"url":"data:image/png;base64,AA=="}}]}]})"),
      "m", false, false));
}

TEST(TextCompletionAdapter, ChatGoesToCompletionsAndCompletionsAreForwarded) {
  const auto& adapter = adapterFor(WireFormat::kTextCompletion);
  auto chat =
      parseOpenAiRequest(Endpoint::kChatCompletions,
                         R"({"model":"instruct","messages":[{"role":"user","content":"Hi"}]})");
  ASSERT_TRUE(chat);
  auto built = adapter.buildRequest(*chat, instruct());
  ASSERT_TRUE(built) << built.error().message;
  EXPECT_EQ(built->target, "/v1/completions");
  EXPECT_EQ(json::parse(built->body).at("prompt"), json::value("Hi"));

  const std::string legacyBody = R"({"model":"instruct","prompt":"Once","max_tokens":3})";
  auto legacy = parseOpenAiRequest(Endpoint::kCompletions, legacyBody);
  ASSERT_TRUE(legacy);
  auto forwarded = adapter.buildRequest(*legacy, instruct());
  ASSERT_TRUE(forwarded);
  EXPECT_EQ(forwarded->target, "/v1/completions");
  EXPECT_EQ(forwarded->body,
            R"({"model":"gpt-3.5-turbo-instruct","prompt":"Once","max_tokens":3})");
}

TEST(TextCompletionResponse, LegacyAnswerAsChatWithLogprobs) {
  Usage usage;
  auto out = text_completion::toChatAnswer(R"({"id":"cmpl-1","object":"text_completion",
      "created":1700000000,"model":"gpt-3.5-turbo-instruct",
      "choices":[{"text":" 4, 5","index":0,"finish_reason":"length",
                  "logprobs":{"tokens":[" 4",","],"token_logprobs":[-0.1,-0.2],
                              "top_logprobs":[{" 4":-0.1," 5":-2.3},{",":-0.2}],"text_offset":[0,2]}}],
      "usage":{"prompt_tokens":8,"completion_tokens":2,"total_tokens":10}})",
                                           "instruct", usage);
  ASSERT_TRUE(out) << out.error().message;
  const auto answer = parseObject(*out);
  EXPECT_EQ(answer.at("object"), json::value("chat.completion"));
  EXPECT_EQ(answer.at("model"), json::value("instruct"));
  EXPECT_EQ(answer.at("created"), json::value(1700000000));
  const auto& choice = answer.at("choices").as_array()[0].as_object();
  EXPECT_EQ(choice.at("message"), json::parse(R"({"role":"assistant","content":" 4, 5"})"));
  EXPECT_EQ(choice.at("finish_reason"), json::value("length"));
  const auto& first = choice.at("logprobs").at("content").as_array()[0];
  EXPECT_EQ(first.at("token"), json::value(" 4"));
  EXPECT_EQ(first.at("logprob"), json::value(-0.1));
  EXPECT_EQ(first.at("top_logprobs").as_array().size(), 2u);
  EXPECT_EQ(usage.promptTokens, 8);
  EXPECT_EQ(usage.completionTokens, 2);
  EXPECT_FALSE(text_completion::toChatAnswer(R"({"id":"x"})", "m", usage));
}

TEST(TextCompletionStream, LegacyChunksBecomeChatChunks) {
  testing::OpenAiChunks<TextCompletionStreamDecoder> t(true, "instruct");
  std::string out;
  Usage usage;
  for (
      const char* data :
      {R"({"id":"cmpl-1","object":"text_completion","choices":[{"text":" 4","index":0,"finish_reason":null}]})",
       R"({"id":"cmpl-1","object":"text_completion","choices":[{"text":", 5","index":0,"finish_reason":"stop"}]})",
       R"({"id":"cmpl-1","object":"text_completion","choices":[],"usage":{"prompt_tokens":8,"completion_tokens":2,"total_tokens":10}})",
       "[DONE]"}) {
    ASSERT_TRUE(t.onEvent({}, data, out, usage));
  }
  ASSERT_TRUE(t.finished());
  const auto seen = testing::assemble(out);
  EXPECT_EQ(seen.content, " 4, 5");
  ASSERT_EQ(seen.finishReasons.size(), 1u);
  EXPECT_EQ(seen.finishReasons[0], "stop");
  EXPECT_EQ(seen.usageChunks, 1);
  EXPECT_EQ(usage.totalTokens, 10);
  EXPECT_TRUE(seen.done);
}

}  // namespace
}  // namespace switchyard
