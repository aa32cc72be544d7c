// Token counting with a tokenizer: OpenAI's chat framing (3 per message, 1 per name, 3 to prime
// the reply), /utils/token_counter's request, count_tokens and input_tokens for OpenAI-family
// backends, and which model a requested name is counted as. The expected figures are the npm
// tiktoken's counts with the cookbook's formula.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "api/anthropic/messages_request.hpp"
#include "api/openai/responses_input_tokens.hpp"
#include "api/openai/token_counter.hpp"
#include "api/token_count.hpp"
#include "config/config_test_util.hpp"
#include "config/loader.hpp"
#include "server/token_counter.hpp"
#include "tokenizer/encoding.hpp"

namespace switchyard {
namespace {

namespace json = boost::json;
using tokenizer::cl100kBase;
using tokenizer::o200kBase;

int64_t counterTokens(std::string_view body, const tokenizer::Encoding* encoding,
                      std::string_view* kind = nullptr) {
  auto r = parseTokenCounterRequest(body);
  EXPECT_TRUE(r) << (r ? "" : r.error().message);
  if (!r) return -1;
  TokenTally tally(encoding);
  countTokenCounterInput(*r, tally);
  if (kind) *kind = tally.kind();
  return tally.total();
}

constexpr std::string_view kConversation = R"({"model":"gpt-4o","messages":[
    {"role":"system","content":"You are a helpful assistant."},
    {"role":"user","name":"alice","content":"Hello, how are you today?"},
    {"role":"assistant","content":"I am fine, thanks!"}]})";

TEST(TokenCount, MessagesAreFramedAsTheCookbookCountsThem) {
  std::string_view kind;
  EXPECT_EQ(counterTokens(kConversation, &o200kBase(), &kind), 36);
  EXPECT_EQ(kind, "exact");
  EXPECT_EQ(counterTokens(kConversation, &cl100kBase()), 36);
  const auto multilingual =
      R"({"model":"gpt-4o","messages":[{"role":"user","content":"Привет, мир! 你好 🌍"}]})";
  EXPECT_EQ(counterTokens(multilingual, &o200kBase()), 16);
}

TEST(TokenCount, APromptCountsAsItsText) {
  const auto body =
      R"({"model":"gpt-4o","prompt":"Hello world, this is a test of the token counter."})";
  EXPECT_EQ(counterTokens(body, &o200kBase()), 12);
  EXPECT_EQ(counterTokens(body, &cl100kBase()), 12);
  // Without a tokenizer: the estimate, a token per four characters (49 → 13).
  std::string_view kind;
  EXPECT_EQ(counterTokens(body, nullptr, &kind), 13);
  EXPECT_EQ(kind, "estimate");
}

TEST(TokenCount, ImagesAndToolCallsMakeTheCountApproximate) {
  std::string_view kind;
  const auto low = R"({"model":"gpt-4o","messages":[{"role":"user","content":[
      {"type":"text","text":"hi"},{"type":"image_url","image_url":{"url":"https://x","detail":"low"}}]}]})";
  // 3 + "user" 1 + "hi" 1 + 85 + 3.
  EXPECT_EQ(counterTokens(low, &o200kBase(), &kind), 93);
  EXPECT_EQ(kind, "exact");
  const auto high = R"({"model":"gpt-4o","messages":[{"role":"user","content":[
      {"type":"image_url","image_url":{"url":"https://x"}}]}]})";
  EXPECT_EQ(counterTokens(high, &o200kBase(), &kind), 3 + 1 + TokenTally::kImageTokens + 3);
  EXPECT_EQ(kind, "approximate");
  const auto call = R"({"model":"gpt-4o","messages":[{"role":"assistant","content":null,
      "tool_calls":[{"id":"c","type":"function","function":{"name":"f","arguments":"{}"}}]}]})";
  EXPECT_GT(counterTokens(call, &o200kBase(), &kind), 7);
  EXPECT_EQ(kind, "approximate");
}

TEST(TokenCount, TokenCounterRequestErrors) {
  for (const char* body :
       {"[]", "{", R"({"prompt":"x"})", R"({"model":"gpt-4o"})", R"({"model":7,"prompt":"x"})",
        R"({"model":"m","prompt":3})", R"({"model":"m","prompt":["a",1]})",
        R"({"model":"m","messages":"x"})", R"({"model":"m","messages":[1]})"}) {
    auto r = parseTokenCounterRequest(body);
    ASSERT_FALSE(r) << body;
    EXPECT_EQ(r.error().status, 400) << body;
  }
  auto missing = parseTokenCounterRequest(R"({"model":"gpt-4o"})");
  EXPECT_NE(missing.error().message.find("prompt or messages"), std::string::npos);
}

TEST(TokenCount, CountTokensAndInputTokensUseTheTokenizer) {
  TokenTally tally(&o200kBase());
  auto r = countMessagesTokens(
      R"({"model":"m","system":"12345678","messages":[{"role":"user","content":"abcdefghijkl"}]})",
      tally);
  ASSERT_TRUE(r);
  EXPECT_EQ(json::parse(*r), json::parse(R"({"input_tokens":15})"));
  EXPECT_EQ(tally.kind(), "exact");
  TokenTally responses(&o200kBase());
  auto in = countResponsesInputTokens(
      R"({"model":"m","input":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"})", responses);
  ASSERT_TRUE(in);
  EXPECT_EQ(json::parse(*in).at("input_tokens"), 12);
  EXPECT_EQ(responses.kind(), "exact");
}

TEST(TokenCount, ModelGroupsAreCountedAsTheirDeploymentsModel) {
  const auto loaded = loadConfigText(R"(model_list:
  - model_name: smart
    litellm_params: {model: openai/gpt-4o-mini, api_key: k}
  - model_name: smart
    litellm_params: {model: anthropic/claude-3-5-haiku-latest, api_key: k}
  - model_name: azure-chat
    litellm_params: {model: azure/my-deployment, api_base: "https://x.openai.azure.com", api_key: k, api_version: "2024-06-01"}
    model_info: {base_model: gpt-4}
  - model_name: claude
    litellm_params: {model: anthropic/claude-3-5-haiku-latest, api_key: k}
  - model_name: "openai/*"
    litellm_params: {model: "openai/*", api_key: k}
router_settings:
  model_group_alias: {clever: smart}
)",
                                     testing::mapEnvironment({}), "test");
  ASSERT_TRUE(loaded.ok()) << testing::allDiagnostics(loaded);
  const Snapshot& s = *loaded.snapshot;
  auto smart = modelTokenizer(s, "smart");
  EXPECT_EQ(smart.model, "gpt-4o-mini");
  EXPECT_EQ(smart.encoding, &o200kBase());
  EXPECT_EQ(modelTokenizer(s, "clever").model, "gpt-4o-mini");
  auto azure = modelTokenizer(s, "azure-chat");
  EXPECT_EQ(azure.model, "gpt-4");
  EXPECT_EQ(azure.encoding, &cl100kBase());
  auto claude = modelTokenizer(s, "claude");
  EXPECT_EQ(claude.model, "claude-3-5-haiku-latest");
  EXPECT_EQ(claude.encoding, nullptr);
  auto wild = modelTokenizer(s, "openai/gpt-3.5-turbo");
  EXPECT_EQ(wild.model, "gpt-3.5-turbo");
  EXPECT_EQ(wild.encoding, &cl100kBase());
  EXPECT_EQ(modelTokenizer(s, "gpt-4.1").encoding, &o200kBase());
  EXPECT_EQ(modelTokenizer(s, "unknown").encoding, nullptr);
}

}  // namespace
}  // namespace switchyard
