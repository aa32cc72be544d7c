// Anthropic Messages request → the gateway's OpenAI chat body, construct by construct, and the
// 400s for what cannot be translated or is malformed.

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "api/anthropic/messages_request.hpp"
#include "api/token_count.hpp"
#include "support/fixtures.hpp"

namespace switchyard {
namespace {

namespace json = boost::json;

// A minimal valid body with `extra` merged in (later keys replace earlier ones).
std::string body(std::string_view extra = {}) {
  json::object o{{"model", "claude-x"},
                 {"max_tokens", 100},
                 {"messages", json::array{json::object{{"role", "user"}, {"content", "hi"}}}}};
  if (!extra.empty()) {
    const json::value more = json::parse(extra);
    for (const auto& [k, v] : more.as_object()) o[k] = v;
  }
  return json::serialize(o);
}

json::object parseOk(const std::string& b) {
  auto r = parseAnthropicRequest(b);
  EXPECT_TRUE(r) << (r ? "" : r.error().message);
  if (!r) return json::object{};
  EXPECT_FALSE(r->untranslated) << r->untranslated->message;
  return r->body();
}

json::array messagesOf(std::string_view messagesJson, std::string_view extra = {}) {
  json::object o = json::parse(body(extra)).as_object();
  o["messages"] = json::parse(messagesJson);
  return parseOk(json::serialize(o))["messages"].as_array();
}

// Checks class, status and that the message names the field first.
void expectAnthropic400(const Error& e, std::string_view field, std::string_view text) {
  EXPECT_EQ(e.cls, ErrorClass::kBadRequest);
  EXPECT_EQ(e.status, 400);
  EXPECT_EQ(e.param, field);
  if (!field.empty()) {
    EXPECT_EQ(e.message.rfind(std::string(field) + ": ", 0), 0u) << e.message;
  }
  if (!text.empty()) {
    EXPECT_NE(e.message.find(text), std::string::npos) << e.message;
  }
  // The Anthropic error body the server sends for it.
  const auto err = json::parse(e.toAnthropicJson()).as_object();
  EXPECT_EQ(err.at("type"), "error");
  EXPECT_EQ(err.at("error").at("type"), "invalid_request_error");
}

// The 400 for a body.
void expect400(const std::string& b, std::string_view field, std::string_view text = {}) {
  auto r = parseAnthropicRequest(b);
  ASSERT_FALSE(r) << "accepted: " << b;
  expectAnthropic400(r.error(), field, text);
}

// The 400 for a body that only Anthropic can take: the request is accepted (an Anthropic
// upstream gets the client's body), and any other upstream answers with this.
void expectOnlyForAnthropic(const std::string& b, std::string_view field,
                            std::string_view text = {}) {
  auto r = parseAnthropicRequest(b);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_FALSE(r->clientText.empty());
  ASSERT_TRUE(r->untranslated) << "translatable: " << b;
  expectAnthropic400(*r->untranslated, field, text);
}

std::string withMessages(std::string_view messagesJson) {
  json::object o = json::parse(body()).as_object();
  o["messages"] = json::parse(messagesJson);
  return json::serialize(o);
}

TEST(AnthropicInboundRequest, MinimalRequest) {
  auto r = parseAnthropicRequest(body());
  ASSERT_TRUE(r);
  EXPECT_EQ(r->format, InboundFormat::kAnthropic);
  EXPECT_EQ(r->endpoint, Endpoint::kChatCompletions);
  EXPECT_EQ(r->model, "claude-x");
  EXPECT_FALSE(r->stream);
  EXPECT_FALSE(r->clientWantsUsage);
  EXPECT_EQ(json::value(r->body()), json::parse(R"({"model":"claude-x","messages":[
      {"role":"user","content":"hi"}],"max_tokens":100})"));
}

TEST(AnthropicInboundRequest, AgentFixtureRoundTripFieldByField) {
  auto r =
      parseAnthropicRequest(testing::readFixture("anthropic-inbound/messages-request-agent.json"));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->model, "claude-sonnet-4-5");
  EXPECT_TRUE(r->stream);
  EXPECT_TRUE(r->clientWantsUsage);
  const json::object& b = r->body();
  EXPECT_EQ(b.at("model"), "claude-sonnet-4-5");
  EXPECT_EQ(b.at("max_tokens"), 4096);
  EXPECT_EQ(b.at("stream"), true);
  EXPECT_EQ(b.at("stream_options"), json::parse(R"({"include_usage":true})"));
  EXPECT_EQ(b.at("stop"), json::parse(R"(["</answer>","\n\nHuman:"])"));
  EXPECT_EQ(b.at("temperature"), 0.2);
  EXPECT_EQ(b.at("top_p"), 0.9);
  EXPECT_EQ(b.at("top_k"), 40);
  EXPECT_EQ(b.at("user"), "user-1234");
  EXPECT_FALSE(b.contains("metadata"));
  EXPECT_FALSE(b.contains("system"));
  EXPECT_FALSE(b.contains("stop_sequences"));
  EXPECT_EQ(b.at("reasoning_effort"), "medium");
  EXPECT_EQ(b.at("thinking"), json::parse(R"({"type":"enabled","budget_tokens":3000})"));
  EXPECT_EQ(b.at("tool_choice"), "auto");
  EXPECT_EQ(b.at("parallel_tool_calls"), false);
  EXPECT_EQ(b.at("container"), "container_abc");  // unknown top-level field passes through

  EXPECT_EQ(b.at("tools"), json::parse(R"([
    {"type":"function","function":{"name":"read_file","description":"Read a file",
     "parameters":{"type":"object","properties":{"path":{"type":"string"},
       "lines":{"type":"array","items":{"type":"integer"}}},"required":["path"]}}},
    {"type":"function","function":{"name":"list_dir","parameters":{"type":"object","properties":{}}}}
  ])"));

  const json::array& m = b.at("messages").as_array();
  ASSERT_EQ(m.size(), 8u);
  EXPECT_EQ(m[0], json::parse(R"({"role":"system","content":[
      {"type":"text","text":"You are a coding agent."},
      {"type":"text","text":"The repository is a C++ gateway.","cache_control":{"type":"ephemeral"}}]})"));
  EXPECT_EQ(m[1], json::parse(R"({"role":"user","content":"What is in main.cpp?"})"));
  // Thinking dropped, text kept, tool_use → tool_calls with JSON-string arguments.
  EXPECT_EQ(m[2].at("role"), "assistant");
  EXPECT_EQ(m[2].at("content"), "Let me read it.");
  const auto& calls = m[2].at("tool_calls").as_array();
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0].at("id"), "toolu_01A");
  EXPECT_EQ(calls[0].at("type"), "function");
  EXPECT_EQ(calls[0].at("function").at("name"), "read_file");
  EXPECT_EQ(json::parse(calls[0].at("function").at("arguments").as_string()),
            json::parse(R"({"path":"src/main.cpp","lines":[1,40]})"));
  EXPECT_EQ(calls[1].at("function").at("name"), "list_dir");
  EXPECT_EQ(calls[1].at("function").at("arguments"), "{}");
  EXPECT_FALSE(m[2].as_object().contains("reasoning_content"));
  // Tool results become tool messages, right after the assistant turn, in order.
  EXPECT_EQ(
      m[3],
      json::parse(
          R"({"role":"tool","tool_call_id":"toolu_01A","content":"int main() { return 0; }"})"));
  EXPECT_EQ(
      m[4],
      json::parse(
          R"({"role":"tool","tool_call_id":"toolu_01B","content":"Error: permission denied"})"));
  // The rest of that user turn: text and images.
  EXPECT_EQ(m[5], json::parse(R"({"role":"user","content":[
      {"type":"text","text":"Also look at this diagram."},
      {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}},
      {"type":"image_url","image_url":{"url":"https://example.com/arch.png"}}]})"));
  EXPECT_EQ(m[6], json::parse(R"({"role":"assistant","content":"main() returns 0."})"));
  // A text document becomes text; cache_control keeps the array form.
  EXPECT_EQ(m[7], json::parse(R"({"role":"user","content":[
      {"type":"text","text":"README: build with cmake."},
      {"type":"text","text":"Summarize.","cache_control":{"type":"ephemeral"}}]})"));
}

TEST(AnthropicInboundRequest, BodyLivesInTheGivenStorage) {
  json::monotonic_resource arena;
  const json::storage_ptr storage(&arena);
  auto r = parseAnthropicRequest(
      testing::readFixture("anthropic-inbound/messages-request-agent.json"), storage);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->body().storage().get(), storage.get());
  EXPECT_EQ(r->body().at("messages").as_array().size(), 8u);
  EXPECT_EQ(r->body().at("tools").as_array().size(), 2u);
}

TEST(AnthropicInboundRequest, SystemString) {
  auto b = parseOk(body(R"({"system":"Be terse."})"));
  EXPECT_EQ(b.at("messages").as_array()[0],
            json::parse(R"({"role":"system","content":"Be terse."})"));
}

TEST(AnthropicInboundRequest, SystemBlocksWithoutCacheControlBecomeOneString) {
  auto b = parseOk(body(R"({"system":[{"type":"text","text":"A"},{"type":"text","text":"B"}]})"));
  EXPECT_EQ(b.at("messages").as_array()[0], json::parse(R"({"role":"system","content":"A\nB"})"));
}

TEST(AnthropicInboundRequest, EmptySystemIsOmitted) {
  auto b = parseOk(body(R"({"system":""})"));
  ASSERT_EQ(b.at("messages").as_array().size(), 1u);
  EXPECT_EQ(b.at("messages").as_array()[0].at("role"), "user");
}

TEST(AnthropicInboundRequest, SystemRoleMessage) {
  auto m = messagesOf(R"([{"role":"system","content":"S"},{"role":"user","content":"U"}])");
  EXPECT_EQ(m[0], json::parse(R"({"role":"system","content":"S"})"));
}

TEST(AnthropicInboundRequest, TextBlocksWithoutCacheControlBecomeAString) {
  auto m = messagesOf(
      R"([{"role":"user","content":[{"type":"text","text":"a"},{"type":"text","text":"b"}]}])");
  EXPECT_EQ(m[0], json::parse(R"({"role":"user","content":"a\nb"})"));
}

TEST(AnthropicInboundRequest, AssistantWithOnlyToolUseHasNullContent) {
  auto m = messagesOf(R"([{"role":"user","content":"q"},{"role":"assistant","content":[
      {"type":"tool_use","id":"t1","name":"f","input":{"a":"\u00e9"}}]}])");
  EXPECT_EQ(m[1].at("content"), nullptr);
  EXPECT_EQ(json::parse(m[1].at("tool_calls").at(0).at("function").at("arguments").as_string()),
            json::parse(R"({"a":"\u00e9"})"));
}

TEST(AnthropicInboundRequest, AssistantWithOnlyThinkingKeepsAnEmptyTurn) {
  auto m = messagesOf(R"([{"role":"user","content":"q"},{"role":"assistant","content":[
      {"type":"thinking","thinking":"hmm","signature":"s"},{"type":"redacted_thinking","data":"x"}]}])");
  EXPECT_EQ(m[1], json::parse(R"({"role":"assistant","content":""})"));
}

TEST(AnthropicInboundRequest, ToolResultVariants) {
  auto m = messagesOf(R"([{"role":"user","content":[
      {"type":"tool_result","tool_use_id":"a"},
      {"type":"tool_result","tool_use_id":"b","content":[{"type":"text","text":"x"},{"type":"text","text":"y"}]},
      {"type":"tool_result","tool_use_id":"c","is_error":false,"content":"ok"},
      {"type":"tool_result","tool_use_id":"d","content":[{"type":"text","text":"shot"},
        {"type":"image","source":{"type":"url","url":"https://x/y.png"}}]}]}])");
  ASSERT_EQ(m.size(), 5u);
  EXPECT_EQ(m[0], json::parse(R"({"role":"tool","tool_call_id":"a","content":""})"));
  EXPECT_EQ(m[1], json::parse(R"({"role":"tool","tool_call_id":"b","content":"x\ny"})"));
  EXPECT_EQ(m[2], json::parse(R"({"role":"tool","tool_call_id":"c","content":"ok"})"));
  EXPECT_EQ(m[3], json::parse(R"({"role":"tool","tool_call_id":"d","content":"shot"})"));
  // OpenAI tool messages carry text only: the image follows as a user message.
  EXPECT_EQ(m[4], json::parse(R"({"role":"user","content":[
      {"type":"image_url","image_url":{"url":"https://x/y.png"}}]})"));
}

TEST(AnthropicInboundRequest, DocumentWithContentSource) {
  auto m = messagesOf(R"([{"role":"user","content":[{"type":"document","source":{"type":"content",
      "content":[{"type":"text","text":"p1"},{"type":"text","text":"p2"}]}}]}])");
  EXPECT_EQ(m[0], json::parse(R"({"role":"user","content":"p1\np2"})"));
}

TEST(AnthropicInboundRequest, StreamFalse) {
  auto r = parseAnthropicRequest(body(R"({"stream":false})"));
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->stream);
  EXPECT_FALSE(r->clientWantsUsage);
  EXPECT_FALSE(r->body().contains("stream"));
  EXPECT_FALSE(r->body().contains("stream_options"));
}

TEST(AnthropicInboundRequest, ToolChoiceMapping) {
  const std::string tools = R"("tools":[{"name":"f","input_schema":{"type":"object"}}])";
  EXPECT_EQ(parseOk(body("{" + tools + R"(,"tool_choice":{"type":"auto"}})")).at("tool_choice"),
            "auto");
  EXPECT_EQ(parseOk(body("{" + tools + R"(,"tool_choice":{"type":"any"}})")).at("tool_choice"),
            "required");
  EXPECT_EQ(parseOk(body("{" + tools + R"(,"tool_choice":{"type":"none"}})")).at("tool_choice"),
            "none");
  auto forced = parseOk(body("{" + tools + R"(,"tool_choice":{"type":"tool","name":"f"}})"));
  EXPECT_EQ(forced.at("tool_choice"),
            json::parse(R"({"type":"function","function":{"name":"f"}})"));
  EXPECT_FALSE(forced.contains("parallel_tool_calls"));
  auto serial = parseOk(
      body("{" + tools + R"(,"tool_choice":{"type":"any","disable_parallel_tool_use":true}})"));
  EXPECT_EQ(serial.at("parallel_tool_calls"), false);
  // Without tools OpenAI rejects tool_choice: it is dropped.
  auto noTools =
      parseOk(body(R"({"tool_choice":{"type":"auto","disable_parallel_tool_use":true}})"));
  EXPECT_FALSE(noTools.contains("tool_choice"));
  EXPECT_FALSE(noTools.contains("parallel_tool_calls"));
}

TEST(AnthropicInboundRequest, CustomToolTypeAndStrict) {
  auto b = parseOk(body(
      R"({"tools":[{"type":"custom","name":"f","input_schema":{"type":"object"},"strict":true}]})"));
  EXPECT_EQ(b.at("tools"), json::parse(R"([{"type":"function","function":{"name":"f",
      "parameters":{"type":"object"},"strict":true}}])"));
}

TEST(AnthropicInboundRequest, EmptyToolsAreOmitted) {
  EXPECT_FALSE(parseOk(body(R"({"tools":[]})")).contains("tools"));
}

TEST(AnthropicInboundRequest, ThinkingBudgetToReasoningEffort) {
  struct Case {
    int budget;
    const char* effort;
  };
  for (const Case c : {Case{1024, "low"}, Case{2047, "low"}, Case{2048, "medium"},
                       Case{4095, "medium"}, Case{4096, "high"}, Case{32000, "high"}}) {
    auto b = parseOk(body(R"({"thinking":{"type":"enabled","budget_tokens":)" +
                          std::to_string(c.budget) + "}}"));
    EXPECT_EQ(b.at("reasoning_effort"), c.effort) << c.budget;
    EXPECT_EQ(b.at("thinking").at("budget_tokens"), c.budget);
  }
  auto disabled = parseOk(body(R"({"thinking":{"type":"disabled"}})"));
  EXPECT_FALSE(disabled.contains("reasoning_effort"));
  EXPECT_EQ(disabled.at("thinking"), json::parse(R"({"type":"disabled"})"));
}

TEST(AnthropicInboundRequest, OutputConfig) {
  auto b = parseOk(body(R"({"thinking":{"type":"adaptive"},"output_config":{"effort":"max",
      "format":{"type":"json_schema","schema":{"type":"object"}}}})"));
  EXPECT_EQ(b.at("reasoning_effort"), "high");
  EXPECT_EQ(b.at("response_format"), json::parse(R"({"type":"json_schema","json_schema":
      {"name":"output","schema":{"type":"object"},"strict":true}})"));
  EXPECT_FALSE(b.contains("output_config"));
  // An explicit thinking budget wins over effort.
  auto both = parseOk(body(
      R"({"thinking":{"type":"enabled","budget_tokens":1024},"output_config":{"effort":"high"}})"));
  EXPECT_EQ(both.at("reasoning_effort"), "low");
}

TEST(AnthropicInboundRequest, ServiceTierAndPassThrough) {
  auto b = parseOk(body(R"({"service_tier":"standard_only","mock":{"content":"x"},"seed":3})"));
  EXPECT_EQ(b.at("service_tier"), "default");
  EXPECT_EQ(b.at("mock"), json::parse(R"({"content":"x"})"));
  EXPECT_EQ(b.at("seed"), 3);
  EXPECT_EQ(parseOk(body(R"({"service_tier":"auto"})")).at("service_tier"), "auto");
}

TEST(AnthropicInboundRequest, NullOptionalFieldsAreIgnored) {
  auto b = parseOk(body(R"({"system":null,"temperature":null,"tools":null,"metadata":null})"));
  EXPECT_EQ(b.size(), 3u);
}

TEST(AnthropicInboundRequest, TopLevel400s) {
  expect400("not json", "");
  expect400("[1]", "");
  expect400(R"({"max_tokens":1,"messages":[{"role":"user","content":"x"}]})", "model",
            "Field required");
  expect400(R"({"model":"","max_tokens":1,"messages":[{"role":"user","content":"x"}]})", "model");
  expect400(R"({"model":"m","messages":[{"role":"user","content":"x"}]})", "max_tokens",
            "Field required");
  expect400(body(R"({"max_tokens":"10"})"), "max_tokens", "integer");
  expect400(body(R"({"max_tokens":1.5})"), "max_tokens", "integer");
  expect400(body(R"({"max_tokens":0})"), "max_tokens");
  expect400(R"({"model":"m","max_tokens":1})", "messages", "Field required");
  expect400(body(R"({"messages":{}})"), "messages");
  expect400(body(R"({"messages":[]})"), "messages");
  expect400(body(R"({"system":5})"), "system");
  expect400(body(R"({"system":[{"type":"image"}]})"), "system.0.type");
  expect400(body(R"({"system":[{"type":"text"}]})"), "system.0.text", "Field required");
  expect400(body(R"({"stop_sequences":"x"})"), "stop_sequences");
  expect400(body(R"({"stop_sequences":["a",1]})"), "stop_sequences.1");
  expect400(body(R"({"temperature":"hot"})"), "temperature");
  expect400(body(R"({"top_p":true})"), "top_p");
  expect400(body(R"({"top_k":1.5})"), "top_k");
  expect400(body(R"({"stream":"yes"})"), "stream");
  expect400(body(R"({"metadata":"u"})"), "metadata");
  expect400(body(R"({"metadata":{"user_id":5}})"), "metadata.user_id");
  expect400(body(R"({"thinking":"on"})"), "thinking");
  expect400(body(R"({"thinking":{}})"), "thinking.type");
  expect400(body(R"({"thinking":{"type":"enabled"}})"), "thinking.budget_tokens");
  expect400(body(R"({"thinking":{"type":"enabled","budget_tokens":"big"}})"),
            "thinking.budget_tokens");
  expect400(body(R"({"service_tier":1})"), "service_tier");
  expect400(body(R"({"output_config":{"effort":3}})"), "output_config.effort");
  expectOnlyForAnthropic(body(R"({"output_config":{"format":{"type":"xml"}}})"),
                         "output_config.format.type");
  expect400(body(R"({"output_config":{"format":{"type":"json_schema"}}})"),
            "output_config.format.schema");
}

TEST(AnthropicInboundRequest, Tool400s) {
  expect400(body(R"({"tools":{}})"), "tools");
  expect400(body(R"({"tools":[1]})"), "tools.0");
  expect400(body(R"({"tools":[{"input_schema":{}}]})"), "tools.0.name");
  expect400(body(R"({"tools":[{"name":"f"}]})"), "tools.0.input_schema", "Field required");
  expect400(body(R"({"tools":[{"name":"f","input_schema":"x"}]})"), "tools.0.input_schema");
  expect400(body(R"({"tools":[{"name":"f","input_schema":{},"description":7}]})"),
            "tools.0.description");
  expectOnlyForAnthropic(body(R"({"tools":[{"name":"f","input_schema":{}},
      {"type":"web_search_20250305","name":"web_search","max_uses":5}]})"),
                         "tools.1.type", "not supported");
  expectOnlyForAnthropic(body(R"({"tools":[{"type":"bash_20250124","name":"bash"}]})"),
                         "tools.0.type", "not supported");
  expect400(body(R"({"tool_choice":"auto"})"), "tool_choice");
  expect400(body(R"({"tool_choice":{"type":"sometimes"}})"), "tool_choice.type");
  expect400(body(R"({"tool_choice":{"type":"tool"}})"), "tool_choice.name");
  expect400(body(R"({"tool_choice":{"type":"auto","disable_parallel_tool_use":"yes"}})"),
            "tool_choice.disable_parallel_tool_use");
}

TEST(AnthropicInboundRequest, Message400s) {
  expect400(withMessages(R"([5])"), "messages.0");
  expect400(withMessages(R"([{"content":"x"}])"), "messages.0.role", "Field required");
  expect400(withMessages(R"([{"role":"robot","content":"x"}])"), "messages.0.role");
  expect400(withMessages(R"([{"role":"user"}])"), "messages.0.content", "Field required");
  expect400(withMessages(R"([{"role":"user","content":7}])"), "messages.0.content");
  expect400(withMessages(R"([{"role":"user","content":["x"]}])"), "messages.0.content.0");
  expect400(withMessages(R"([{"role":"user","content":[{"text":"x"}]}])"),
            "messages.0.content.0.type");
  expect400(withMessages(R"([{"role":"user","content":[{"type":"text"}]}])"),
            "messages.0.content.0.text");
  expectOnlyForAnthropic(withMessages(R"([{"role":"user","content":[{"type":"hologram"}]}])"),
                         "messages.0.content.0.type", "not supported");
  expectOnlyForAnthropic(withMessages(R"([{"role":"user","content":[{"type":"search_result"}]}])"),
                         "messages.0.content.0.type", "not supported");
  // Images.
  expect400(withMessages(R"([{"role":"user","content":[{"type":"image"}]}])"),
            "messages.0.content.0.source", "Field required");
  expect400(withMessages(R"([{"role":"user","content":[{"type":"image","source":{"type":"base64",
      "data":"x"}}]}])"),
            "messages.0.content.0.source.media_type");
  expect400(withMessages(R"([{"role":"user","content":[{"type":"image","source":{"type":"base64",
      "media_type":"image/png"}}]}])"),
            "messages.0.content.0.source.data");
  expect400(
      withMessages(R"([{"role":"user","content":[{"type":"image","source":{"type":"url"}}]}])"),
      "messages.0.content.0.source.url");
  expectOnlyForAnthropic(
      withMessages(R"([{"role":"user","content":[{"type":"image","source":{"type":"file",
      "file_id":"f"}}]}])"),
      "messages.0.content.0.source.type", "not supported");
  // Documents: only text ones translate.
  expectOnlyForAnthropic(
      withMessages(R"([{"role":"user","content":[{"type":"document","source":{"type":"base64",
      "media_type":"application/pdf","data":"JVBER"}}]}])"),
      "messages.0.content.0.source.type", "not supported");
  expectOnlyForAnthropic(
      withMessages(R"([{"role":"user","content":[{"type":"document","source":{"type":"url",
      "url":"https://x/a.pdf"}}]}])"),
      "messages.0.content.0.source.type", "not supported");
  expect400(
      withMessages(R"([{"role":"user","content":[{"type":"document","source":{"type":"text"}}]}])"),
      "messages.0.content.0.source.data");
  // Tool results.
  expect400(withMessages(R"([{"role":"user","content":[{"type":"tool_result","content":"x"}]}])"),
            "messages.0.content.0.tool_use_id");
  expect400(withMessages(R"([{"role":"user","content":[{"type":"tool_result","tool_use_id":"t",
      "content":5}]}])"),
            "messages.0.content.0.content");
  expectOnlyForAnthropic(
      withMessages(R"([{"role":"user","content":[{"type":"tool_result","tool_use_id":"t",
      "content":[{"type":"document","source":{"type":"text","data":"x"}}]}]}])"),
      "messages.0.content.0.content.0.type", "not supported");
  expect400(withMessages(R"([{"role":"user","content":[{"type":"tool_result","tool_use_id":"t",
      "is_error":"yes"}]}])"),
            "messages.0.content.0.is_error");
  // Blocks in the wrong role.
  expect400(withMessages(R"([{"role":"user","content":[{"type":"tool_use","id":"t","name":"f",
      "input":{}}]}])"),
            "messages.0.content.0.type", "assistant");
  expect400(withMessages(R"([{"role":"user","content":[{"type":"thinking","thinking":"x"}]}])"),
            "messages.0.content.0.type", "assistant");
  expect400(withMessages(R"([{"role":"user","content":"q"},{"role":"assistant","content":[
      {"type":"tool_result","tool_use_id":"t"}]}])"),
            "messages.1.content.0.type", "not allowed in assistant");
  expect400(withMessages(R"([{"role":"user","content":"q"},{"role":"assistant","content":[
      {"type":"image","source":{"type":"url","url":"u"}}]}])"),
            "messages.1.content.0.type");
  expectOnlyForAnthropic(
      withMessages(R"([{"role":"user","content":"q"},{"role":"assistant","content":[
      {"type":"server_tool_use","id":"s","name":"web_search","input":{}}]}])"),
      "messages.1.content.0.type", "not supported");
  // tool_use fields.
  expect400(withMessages(R"([{"role":"user","content":"q"},{"role":"assistant","content":[
      {"type":"tool_use","name":"f","input":{}}]}])"),
            "messages.1.content.0.id");
  expect400(withMessages(R"([{"role":"user","content":"q"},{"role":"assistant","content":[
      {"type":"tool_use","id":"t","input":{}}]}])"),
            "messages.1.content.0.name");
  expect400(withMessages(R"([{"role":"user","content":"q"},{"role":"assistant","content":[
      {"type":"tool_use","id":"t","name":"f","input":"{}"}]}])"),
            "messages.1.content.0.input");
}

TEST(AnthropicInboundCountTokens, EstimatesFromCharacters) {
  // system 8 + message 12 + 4 (é counts once) + tool use name/input + tool definition.
  const std::string b = R"({"model":"m","system":"12345678","messages":[
      {"role":"user","content":"abcdefghijkl"},
      {"role":"user","content":[{"type":"text","text":"\u00e9bcd"},
        {"type":"image","source":{"type":"url","url":"https://x"}}]},
      {"role":"assistant","content":[{"type":"tool_use","id":"t","name":"fn","input":{"a":1}}]},
      {"role":"user","content":[{"type":"tool_result","tool_use_id":"t","content":"res"}]}],
    "tools":[{"name":"fn","description":"desc","input_schema":{"type":"object"}}]})";
  TokenTally tally(nullptr);
  auto r = countMessagesTokens(b, tally);
  EXPECT_EQ(tally.kind(), "estimate");
  ASSERT_TRUE(r) << r.error().message;
  // chars: 8 + 12 + 4 + (2 + 7) + 3 + (2 + 4 + 17) = 59 → 15 tokens, + 1600 for the image.
  EXPECT_EQ(json::parse(*r), json::parse(R"({"input_tokens":1615})"));
}

Result<std::string> countEstimate(std::string_view body) {
  TokenTally tally(nullptr);
  return countMessagesTokens(body, tally);
}

TEST(AnthropicInboundCountTokens, Errors) {
  EXPECT_FALSE(countEstimate("{"));
  auto noModel = countEstimate(R"({"messages":[]})");
  ASSERT_FALSE(noModel);
  EXPECT_EQ(noModel.error().param, "model");
  auto noMessages = countEstimate(R"({"model":"m"})");
  ASSERT_FALSE(noMessages);
  EXPECT_EQ(noMessages.error().param, "messages");
  EXPECT_EQ(noMessages.error().status, 400);
  auto badMessage = countEstimate(R"({"model":"m","messages":[{"role":"user"}]})");
  ASSERT_FALSE(badMessage);
  EXPECT_EQ(badMessage.error().param, "messages.0.content");
}

}  // namespace
}  // namespace switchyard
