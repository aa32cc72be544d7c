// Stored Responses conversations: the stored input items, what continues a stored response, and
// the input_items pages.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "api/openai/responses_conversation.hpp"
#include "api/openai/responses_request.hpp"

namespace switchyard {
namespace {

namespace json = boost::json;
using namespace responses_state;

StoredResponse stored() {
  StoredResponse r;
  r.id = "resp_abc";
  r.owner = "key:a";
  r.inputItems = json::serialize(
      inputItems(json::parse(R"([{"role":"user","content":"Weather in Paris?"}])"), r.id));
  r.response = R"({"id":"resp_abc","object":"response","output":[)"
               R"({"id":"rs_1","type":"reasoning","summary":[]},)"
               R"({"id":"fc_1","type":"function_call","status":"completed","call_id":"call_1",)"
               R"("name":"get_weather","arguments":"{\"city\":\"Paris\"}"}]})";
  return r;
}

TEST(ResponsesConversation, InputItemsHaveOpenAisShapeAndIds) {
  const json::array items = inputItems(json::parse(R"("Hi")"), "resp_xyz");
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(json::serialize(items[0]),
            R"({"type":"message","role":"user","content":[{"type":"input_text","text":"Hi"}],)"
            R"("status":"completed","id":"msg_xyzin0"})");
  const json::array list = inputItems(
      json::parse(R"([{"role":"assistant","content":"ok"},{"type":"function_call_output",)"
                  R"("call_id":"c","output":"sunny"},{"type":"message","id":"msg_mine",)"
                  R"("role":"user","content":[{"type":"input_text","text":"x"}]}])"),
      "resp_xyz");
  ASSERT_EQ(list.size(), 3u);
  EXPECT_EQ(list[0].at("content").at(0).at("type"), "output_text");
  EXPECT_EQ(list[1].at("id"), "fco_xyzin1");
  EXPECT_EQ(list[2].at("id"), "msg_mine") << "the client's own id stays";
}

TEST(ResponsesConversation, ContinuingPrependsTheWholeConversation) {
  auto text = continueConversation(
      R"({"model":"claude","previous_response_id":"resp_abc","input":[{"type":)"
      R"("function_call_output","call_id":"call_1","output":"sunny, 24C"}],"store":true})",
      stored());
  ASSERT_TRUE(text) << text.error().message;
  const json::object body = json::parse(*text).as_object();
  EXPECT_FALSE(body.contains("previous_response_id"));
  EXPECT_EQ(body.at("store"), true);
  const json::array& input = body.at("input").as_array();
  ASSERT_EQ(input.size(), 3u) << *text << " (the reasoning item is left out)";
  EXPECT_EQ(input[0].at("role"), "user");
  EXPECT_FALSE(input[0].as_object().contains("id"));
  EXPECT_EQ(input[1].at("type"), "function_call");
  EXPECT_FALSE(input[1].as_object().contains("status"));
  EXPECT_EQ(input[2].at("output"), "sunny, 24C");
  // And it decodes into the chat conversation every translated backend gets.
  auto req = parseResponsesRequest(*text);
  ASSERT_TRUE(req) << req.error().message;
  EXPECT_FALSE(req->untranslated);
  const json::array& messages = req->body().at("messages").as_array();
  ASSERT_EQ(messages.size(), 3u);
  EXPECT_EQ(messages[1].at("tool_calls").at(0).at("id"), "call_1");
  EXPECT_EQ(messages[2].at("role"), "tool");
}

TEST(ResponsesConversation, AStringInputFollowsTheHistory) {
  auto text = continueConversation(R"({"model":"m","input":"and tomorrow?"})", stored());
  ASSERT_TRUE(text);
  const json::array input = json::parse(*text).at("input").as_array();
  ASSERT_EQ(input.size(), 3u);
  EXPECT_EQ(input[2].at("content"), "and tomorrow?");
}

TEST(ResponsesConversation, InputItemPages) {
  StoredResponse r = stored();
  r.inputItems = json::serialize(
      inputItems(json::parse(R"([{"role":"user","content":"a"},{"role":"user","content":"b"},)"
                             R"({"role":"user","content":"c"}])"),
                 r.id));
  auto page = [&](PageQuery q) {
    auto listed = inputItemsPage(r, q);
    EXPECT_TRUE(listed) << listed.error().message;
    return json::parse(listed ? *listed : "{}").as_object();
  };
  json::object all = page({});
  EXPECT_EQ(all.at("object"), "list");
  EXPECT_EQ(all.at("data").as_array().size(), 3u);
  EXPECT_EQ(all.at("first_id"), "msg_abcin2") << "newest first by default";
  EXPECT_EQ(all.at("last_id"), "msg_abcin0");
  EXPECT_EQ(all.at("has_more"), false);
  json::object first = page({"2", "asc", std::nullopt, std::nullopt});
  EXPECT_EQ(first.at("first_id"), "msg_abcin0");
  EXPECT_EQ(first.at("last_id"), "msg_abcin1");
  EXPECT_EQ(first.at("has_more"), true);
  json::object next = page({"2", "asc", "msg_abcin1", std::nullopt});
  EXPECT_EQ(next.at("data").as_array().size(), 1u);
  EXPECT_EQ(next.at("first_id"), "msg_abcin2");
  EXPECT_EQ(next.at("has_more"), false);
  json::object before = page({std::nullopt, "asc", std::nullopt, "msg_abcin2"});
  EXPECT_EQ(before.at("data").as_array().size(), 2u);
  json::object none = page({std::nullopt, "asc", "msg_abcin2", std::nullopt});
  EXPECT_TRUE(none.at("data").as_array().empty());
  EXPECT_TRUE(none.at("first_id").is_null());

  for (const char* bad : {"0", "101", "x", "5x"}) {
    auto e = inputItemsPage(r, {bad, std::nullopt, std::nullopt, std::nullopt});
    ASSERT_FALSE(e) << bad;
    EXPECT_EQ(e.error().param, "limit");
    EXPECT_EQ(e.error().status, 400);
  }
  EXPECT_EQ(inputItemsPage(r, {std::nullopt, "up", std::nullopt, std::nullopt}).error().param,
            "order");
  EXPECT_EQ(inputItemsPage(r, {std::nullopt, std::nullopt, "msg_nope", std::nullopt}).error().param,
            "after");
}

TEST(ResponsesConversation, NotFoundIsA404InOpenAisWords) {
  const Error e = responseNotFound("resp_x", true);
  EXPECT_EQ(e.status, 404);
  EXPECT_EQ(e.toOpenAiJson(),
            R"({"error":{"message":"Previous response with id 'resp_x' not found.",)"
            R"("type":"invalid_request_error","param":"previous_response_id",)"
            R"("code":"previous_response_not_found"}})");
  EXPECT_EQ(responseNotFound("resp_x", false).status, 404);
}

}  // namespace
}  // namespace switchyard
