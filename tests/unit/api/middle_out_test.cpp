#include "api/openai/middle_out.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "api/openai/chat_tokens.hpp"
#include "api/token_count.hpp"
#include "tokenizer/encoding.hpp"

namespace switchyard {
namespace {

namespace json = boost::json;

const tokenizer::Encoding* o200k() { return &tokenizer::o200kBase(); }

std::string words(int n, std::string_view word) {
  std::string s;
  for (int i = 0; i < n; ++i) {
    s += word;
    s += ' ';
  }
  return s;
}

json::object message(std::string_view role, std::string content) {
  return json::object{{"role", role}, {"content", std::move(content)}};
}

// The body's input as the context check counts it: the messages framed, the reply primed.
int64_t inputOf(const json::object& body, const tokenizer::Encoding* e) {
  TokenTally tally(e);
  for (const auto& m : body.at("messages").as_array()) countChatMessage(m.as_object(), tally);
  tally.reply();
  if (const auto* tools = body.if_contains("tools")) countChatTools(tools->as_array(), tally);
  return tally.total();
}

std::vector<std::string> contents(const json::object& body) {
  std::vector<std::string> out;
  for (const auto& m : body.at("messages").as_array()) {
    const auto* c = m.as_object().if_contains("content");
    out.emplace_back(c && c->is_string() ? std::string(c->get_string()) : std::string("-"));
  }
  return out;
}

// system, first question, then `turns` exchanges of ~200 tokens each, then the last question.
json::object conversation(int turns) {
  json::array messages;
  messages.push_back(message("system", "You are terse."));
  messages.push_back(message("user", "first question"));
  for (int i = 0; i < turns; ++i) {
    messages.push_back(message("assistant", "a" + std::to_string(i) + " " + words(100, "ok")));
    messages.push_back(message("user", "u" + std::to_string(i) + " " + words(100, "more")));
  }
  messages.push_back(message("user", "last question"));
  return json::object{{"model", "gpt-4o"}, {"messages", std::move(messages)}};
}

TEST(MiddleOut, LeavesAConversationThatFitsAsItIs) {
  auto body = conversation(3);
  const std::string before = json::serialize(body);
  const auto r = middleOut(body, 100000, o200k());
  EXPECT_EQ(r.messagesRemoved, 0u);
  EXPECT_EQ(r.removed(), 0);
  EXPECT_EQ(r.tokensBefore, inputOf(body, o200k()));
  EXPECT_EQ(json::serialize(body), before);
}

TEST(MiddleOut, DropsFromTheMiddleKeepingSystemFirstAndLastTurns) {
  auto body = conversation(10);  // 23 messages, ~2,100 tokens
  const int64_t before = inputOf(body, o200k());
  ASSERT_GT(before, 2000);
  const auto r = middleOut(body, 1200, o200k());
  EXPECT_TRUE(r.fits());
  EXPECT_FALSE(r.textCut);
  EXPECT_EQ(r.tokensBefore, before);
  EXPECT_EQ(r.tokensAfter, inputOf(body, o200k()));
  EXPECT_LE(r.tokensAfter, 1200);
  EXPECT_GT(r.removed(), 0);
  const auto c = contents(body);
  EXPECT_EQ(c.size(), 23u - r.messagesRemoved);
  EXPECT_EQ(c[0], "You are terse.");
  EXPECT_EQ(c[1], "first question");
  EXPECT_EQ(c.back(), "last question");
  // The oldest and the newest exchanges stay; the middle ones went.
  EXPECT_EQ(c[2].substr(0, 3), "a0 ");
  EXPECT_EQ(c[c.size() - 2].substr(0, 3), "u9 ");
  for (const auto& s : c) EXPECT_NE(s.substr(0, 3), "a5 ");
}

TEST(MiddleOut, NeverSplitsAToolCallFromItsResults) {
  json::array messages;
  messages.push_back(message("user", "weather in three cities?"));
  for (int i = 0; i < 6; ++i) {
    const std::string id = "call_" + std::to_string(i);
    messages.push_back(json::object{
        {"role", "assistant"},
        {"content", nullptr},
        {"tool_calls",
         json::array{json::object{
             {"id", id},
             {"type", "function"},
             {"function", {{"name", "weather"}, {"arguments", "{\"city\":\"x\"}"}}}}}}});
    messages.push_back(
        json::object{{"role", "tool"}, {"tool_call_id", id}, {"content", words(150, "sunny")}});
  }
  json::object body{{"model", "gpt-4o"}, {"messages", std::move(messages)}};
  const auto r = middleOut(body, 700, o200k());
  EXPECT_TRUE(r.fits());
  EXPECT_GT(r.messagesRemoved, 0u);
  EXPECT_EQ(r.messagesRemoved % 2, 0u);  // calls and results went in pairs
  const auto& kept = body.at("messages").as_array();
  // Every tool result that is left follows the assistant message that called it.
  for (size_t i = 0; i < kept.size(); ++i) {
    const auto& m = kept[i].as_object();
    if (m.at("role").as_string() != "tool") continue;
    ASSERT_GT(i, 0u);
    const auto& call = kept[i - 1].as_object();
    ASSERT_TRUE(call.contains("tool_calls")) << i;
    EXPECT_EQ(call.at("tool_calls").as_array()[0].as_object().at("id"), m.at("tool_call_id"));
  }
  // The last call and its result are the turn being answered: kept.
  EXPECT_EQ(kept.back().as_object().at("tool_call_id"), "call_5");
}

TEST(MiddleOut, CutsTheMiddleOfOneHugeMessageWhenDroppingIsNotEnough) {
  json::object body{
      {"model", "gpt-4o"},
      {"messages", json::array{message("system", "Summarise."),
                               message("user", "BEGIN " + words(3000, "lorem") + " END")}}};
  const auto r = middleOut(body, 500, o200k());
  EXPECT_TRUE(r.fits());
  EXPECT_TRUE(r.textCut);
  EXPECT_EQ(r.messagesRemoved, 0u);
  const std::string text(body.at("messages").as_array()[1].as_object().at("content").as_string());
  EXPECT_TRUE(text.starts_with("BEGIN "));
  EXPECT_TRUE(text.ends_with(" END"));
  EXPECT_NE(text.find(kMiddleOutMarker), std::string::npos);
  EXPECT_GT(r.tokensAfter, 300);  // cut to fit, not emptied
}

TEST(MiddleOut, CountsWithTheEstimateWithoutATokenizer) {
  auto body = conversation(10);
  const auto r = middleOut(body, 600, nullptr);
  EXPECT_TRUE(r.fits());
  EXPECT_EQ(r.tokensAfter, inputOf(body, nullptr));
  EXPECT_GT(r.messagesRemoved, 0u);
}

TEST(MiddleOut, ToolDefinitionsCountButStay) {
  auto body = conversation(4);
  body["tools"] = json::array{
      json::object{{"type", "function"},
                   {"function", {{"name", "lookup"}, {"description", words(200, "describe")}}}}};
  const int64_t before = inputOf(body, o200k());
  const auto r = middleOut(body, before - 300, o200k());
  EXPECT_EQ(r.tokensBefore, before);
  EXPECT_TRUE(r.fits());
  EXPECT_EQ(r.tokensAfter, inputOf(body, o200k()));
  EXPECT_TRUE(body.contains("tools"));
}

TEST(MiddleOut, ABodyWithoutMessagesIsLeftAlone) {
  json::object body{{"model", "gpt-4o"}, {"prompt", "hi"}};
  const auto r = middleOut(body, 1, o200k());
  EXPECT_EQ(r.messagesRemoved, 0u);
  EXPECT_EQ(r.tokensBefore, 0);
}

}  // namespace
}  // namespace switchyard
