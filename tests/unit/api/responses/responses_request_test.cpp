// The /v1/responses decoder: a Responses body becomes the canonical chat body every provider is
// encoded from; what chat cannot say is noted (the 400 a translated backend answers with), and a
// malformed body is a 400 naming the field.

#include "api/openai/responses_request.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace switchyard {
namespace {

namespace json = boost::json;

ApiRequest decode(std::string_view body) {
  auto r = parseResponsesRequest(body);
  EXPECT_TRUE(r) << (r ? "" : r.error().message);
  return r ? std::move(*r) : ApiRequest();
}

json::value messages(const ApiRequest& req) { return req.body().at("messages"); }

void expect400(std::string_view body, std::string_view param, std::string_view words) {
  auto r = parseResponsesRequest(body);
  ASSERT_FALSE(r) << body;
  EXPECT_EQ(r.error().status, 400);
  EXPECT_EQ(r.error().param, param) << r.error().message;
  EXPECT_NE(r.error().message.find(words), std::string::npos) << r.error().message;
}

void expectUntranslated(std::string_view body, std::string_view param) {
  const ApiRequest req = decode(body);
  ASSERT_TRUE(req.untranslated) << body;
  EXPECT_EQ(req.untranslated->status, 400);
  EXPECT_EQ(req.untranslated->param, param);
  EXPECT_NE(req.untranslated->message.find(std::string(param)), std::string::npos);
}

TEST(ResponsesRequest, StringInputAndInstructions) {
  const ApiRequest req = decode(
      R"({"model":"gpt","input":"Hi","instructions":"Be brief","temperature":0.2,"top_p":0.9,)"
      R"("max_output_tokens":64,"metadata":{"k":"v"},"store":false})");
  EXPECT_EQ(req.format, InboundFormat::kResponses);
  EXPECT_EQ(req.endpoint, Endpoint::kChatCompletions);
  EXPECT_EQ(req.model, "gpt");
  EXPECT_FALSE(req.stream);
  EXPECT_FALSE(req.untranslated);
  EXPECT_EQ(messages(req), json::parse(R"([{"role":"system","content":"Be brief"},)"
                                       R"({"role":"user","content":"Hi"}])"));
  const auto& body = req.body();
  EXPECT_EQ(body.at("max_completion_tokens"), 64);
  EXPECT_EQ(body.at("temperature"), 0.2);
  EXPECT_EQ(body.at("top_p"), 0.9);
  EXPECT_FALSE(body.contains("metadata"));  // OpenAI chat takes metadata only with store
  EXPECT_FALSE(body.contains("store"));
  EXPECT_EQ(req.parameters.maxCompletionTokens.i, 64);
  // The Response object repeats them.
  EXPECT_EQ(req.clientEcho.at("metadata"), json::parse(R"({"k":"v"})"));
  EXPECT_EQ(req.clientEcho.at("instructions"), "Be brief");
  EXPECT_EQ(req.clientEcho.at("store"), false);
  EXPECT_EQ(req.clientText.text.substr(0, 16), R"({"model":"gpt",")");
}

TEST(ResponsesRequest, MessagesWithTextAndImages) {
  const ApiRequest req = decode(R"({"model":"m","input":[
    {"role":"developer","content":"Rules"},
    {"type":"message","role":"user","content":[
      {"type":"input_text","text":"What is "},{"type":"input_text","text":"this?"}]},
    {"role":"user","content":[{"type":"input_text","text":"And this"},
      {"type":"input_image","image_url":"data:image/png;base64,AAAA","detail":"low"}]},
    {"role":"assistant","content":[{"type":"output_text","text":"A cat."}]}]})");
  EXPECT_FALSE(req.untranslated);
  EXPECT_EQ(messages(req), json::parse(R"([
    {"role":"system","content":"Rules"},
    {"role":"user","content":"What is this?"},
    {"role":"user","content":[{"type":"text","text":"And this"},
      {"type":"image_url","image_url":{"url":"data:image/png;base64,AAAA","detail":"low"}}]},
    {"role":"assistant","content":"A cat."}])"));
}

TEST(ResponsesRequest, FunctionCallRoundTripBecomesToolCallsAndToolMessages) {
  const ApiRequest req = decode(R"({"model":"m","input":[
    {"role":"user","content":"Weather in Paris and Rome?"},
    {"type":"reasoning","id":"rs_1","summary":[],"encrypted_content":"xyz"},
    {"type":"function_call","call_id":"call_a","name":"weather","arguments":"{\"city\":\"Paris\"}"},
    {"type":"function_call","call_id":"call_b","name":"weather","arguments":"{\"city\":\"Rome\"}"},
    {"type":"function_call_output","call_id":"call_a","output":"sunny"},
    {"type":"function_call_output","call_id":"call_b","output":[{"type":"input_text","text":"rain"}]}],
    "tools":[{"type":"function","name":"weather","description":"Weather",
              "parameters":{"type":"object","properties":{"city":{"type":"string"}}},"strict":true}],
    "tool_choice":{"type":"function","name":"weather"},"parallel_tool_calls":false})");
  EXPECT_FALSE(req.untranslated);
  EXPECT_EQ(messages(req), json::parse(R"([
    {"role":"user","content":"Weather in Paris and Rome?"},
    {"role":"assistant","content":null,"tool_calls":[
      {"id":"call_a","type":"function","function":{"name":"weather","arguments":"{\"city\":\"Paris\"}"}},
      {"id":"call_b","type":"function","function":{"name":"weather","arguments":"{\"city\":\"Rome\"}"}}]},
    {"role":"tool","tool_call_id":"call_a","content":"sunny"},
    {"role":"tool","tool_call_id":"call_b","content":"rain"}])"));
  const auto& body = req.body();
  EXPECT_EQ(body.at("tools"), json::parse(R"([{"type":"function","function":{"name":"weather",
    "description":"Weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}},
    "strict":true}}])"));
  EXPECT_EQ(body.at("tool_choice"),
            json::parse(R"({"type":"function","function":{"name":"weather"}})"));
  EXPECT_EQ(body.at("parallel_tool_calls"), false);
}

TEST(ResponsesRequest, AssistantTextThenCallsIsOneMessage) {
  const ApiRequest req = decode(R"({"model":"m","input":[
    {"role":"user","content":"x"},
    {"role":"assistant","content":"Let me check."},
    {"type":"function_call","call_id":"c1","name":"f","arguments":"{}"},
    {"type":"function_call_output","call_id":"c1","output":"ok"},
    {"type":"function_call","call_id":"c2","name":"f","arguments":"{}"}]})");
  const auto m = messages(req).as_array();
  ASSERT_EQ(m.size(), 4u);
  EXPECT_EQ(m[1].at("content"), "Let me check.");
  EXPECT_EQ(m[1].at("tool_calls").as_array().size(), 1u);
  EXPECT_EQ(m[2].at("role"), "tool");
  EXPECT_EQ(m[3].at("role"), "assistant");  // after a tool result, a new assistant turn
  EXPECT_EQ(m[3].at("tool_calls").as_array()[0].at("id"), "c2");
}

TEST(ResponsesRequest, TextFormatReasoningAndStream) {
  const ApiRequest req = decode(R"({"model":"m","input":"x","stream":true,
    "reasoning":{"effort":"high","summary":"auto"},
    "text":{"format":{"type":"json_schema","name":"answer","strict":true,
      "schema":{"type":"object","properties":{"n":{"type":"integer"}},"required":["n"]}}}})");
  EXPECT_TRUE(req.stream);
  EXPECT_TRUE(req.clientWantsUsage);
  const auto& body = req.body();
  EXPECT_EQ(body.at("stream"), true);
  EXPECT_EQ(body.at("stream_options"), json::parse(R"({"include_usage":true})"));
  EXPECT_EQ(body.at("reasoning_effort"), "high");
  EXPECT_EQ(body.at("response_format"), json::parse(R"({"type":"json_schema","json_schema":{
    "name":"answer","schema":{"type":"object","properties":{"n":{"type":"integer"}},
    "required":["n"]},"strict":true}})"));
  const ApiRequest obj =
      decode(R"({"model":"m","input":"x","text":{"format":{"type":"json_object"}}})");
  EXPECT_EQ(obj.body().at("response_format"), json::parse(R"({"type":"json_object"})"));
  const ApiRequest plain = decode(R"({"model":"m","input":"x","text":{"format":{"type":"text"}}})");
  EXPECT_FALSE(plain.body().contains("response_format"));
}

TEST(ResponsesRequest, ToolFieldsWithoutToolsAreLeftOut) {
  const ApiRequest req =
      decode(R"({"model":"m","input":"x","tool_choice":"auto","parallel_tool_calls":true})");
  EXPECT_FALSE(req.body().contains("tool_choice"));
  EXPECT_FALSE(req.body().contains("parallel_tool_calls"));
}

TEST(ResponsesRequest, WhatOnlyTheResponsesApiCanSayIsNotedWithItsField) {
  expectUntranslated(R"({"model":"m","input":"x","tools":[{"type":"web_search"}]})",
                     "tools[0].type");
  expectUntranslated(
      R"({"model":"m","input":"x","tools":[{"type":"function","name":"f"},{"type":"code_interpreter","container":{"type":"auto"}}]})",
      "tools[1].type");
  expectUntranslated(R"({"model":"m","input":"x","tool_choice":{"type":"file_search"}})",
                     "tool_choice.type");
  expectUntranslated(
      R"({"model":"m","input":[{"role":"user","content":[{"type":"input_file","file_id":"f"}]}]})",
      "input[0].content[0].type");
  expectUntranslated(
      R"({"model":"m","input":[{"role":"user","content":[{"type":"input_image","file_id":"f"}]}]})",
      "input[0].content[0].file_id");
  expectUntranslated(R"({"model":"m","input":[{"type":"item_reference","id":"msg_1"}]})",
                     "input[0].type");
  expectUntranslated(R"({"model":"m","input":"x","background":true})", "background");
  expectUntranslated(R"({"model":"m","input":"x","conversation":"conv_1"})", "conversation");
  // An id the gateway did not resolve (server/responses_state) only a native upstream may know.
  const ApiRequest continued =
      decode(R"({"model":"m","input":"x","previous_response_id":"resp_1"})");
  ASSERT_TRUE(continued.untranslated);
  EXPECT_EQ(continued.untranslated->status, 404);
  EXPECT_EQ(continued.untranslated->param, "previous_response_id");
  EXPECT_EQ(continued.untranslated->code, "previous_response_not_found");
  EXPECT_EQ(continued.untranslated->message, "Previous response with id 'resp_1' not found.");
  EXPECT_EQ(continued.clientEcho.at("previous_response_id"), "resp_1");
  // The hosted tool is left out of the canonical body, the function tool kept.
  const ApiRequest req = decode(
      R"({"model":"m","input":"x","tools":[{"type":"web_search"},{"type":"function","name":"f"}]})");
  EXPECT_EQ(req.body().at("tools").as_array().size(), 1u);
}

TEST(ResponsesRequest, MalformedBodiesAre400sNamingTheField) {
  expect400(R"({"input":"x"})", "model", "Missing required parameter");
  expect400(R"({"model":"m"})", "input", "Missing required parameter");
  expect400(R"({"model":"m","input":5})", "input", "expected a string or an array");
  expect400(R"({"model":"m","input":[]})", "input", "at least one");
  expect400(R"({"model":"m","input":[{"role":"robot","content":"x"}]})", "input[0].role",
            "expected one of");
  expect400(R"({"model":"m","input":[{"role":"user"}]})", "input[0].content", "Missing");
  expect400(R"({"model":"m","input":[{"role":"user","content":[{"type":"input_text"}]}]})",
            "input[0].content[0].text", "Missing");
  expect400(R"({"model":"m","input":[{"type":"function_call","name":"f","arguments":"{}"}]})",
            "input[0].call_id", "Missing");
  expect400(R"({"model":"m","input":[{"type":"function_call_output","call_id":"c"}]})",
            "input[0].output", "Missing");
  expect400(R"({"model":"m","input":"x","tools":[{"type":"function"}]})", "tools[0].name",
            "Missing");
  expect400(R"({"model":"m","input":"x","tool_choice":"sometimes"})", "tool_choice", "expected");
  expect400(R"({"model":"m","input":"x","max_output_tokens":"9"})", "max_output_tokens",
            "expected an integer");
  expect400(R"({"model":"m","input":"x","max_output_tokens":0})", "max_output_tokens",
            "at least 1");
  expect400(R"({"model":"m","input":"x","temperature":"hot"})", "temperature", "a number");
  expect400(R"({"model":"m","input":"x","stream":"yes"})", "stream", "a boolean");
  expect400(R"({"model":"m","input":"x","text":{"format":{"type":"json_schema","name":"a"}}})",
            "text.format.schema", "Missing");
  expect400(R"({"model":"m","input":"x","text":{"format":{"type":"xml"}}})", "text.format.type",
            "expected");
  expect400(R"({"model":"m","input":"x","reasoning":{"effort":3}})", "reasoning.effort",
            "a string");
  expect400(R"({"model":"m","input":"x","instructions":7})", "instructions", "a string");
  expect400(R"([1,2])", "", "JSON object");
  expect400(R"({"model":)", "", "could not parse");
}

}  // namespace
}  // namespace switchyard
