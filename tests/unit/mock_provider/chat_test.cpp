// The mock's chat completions against recorded real traffic: same keys and JSON kinds.
#include "tests/unit/mock_provider/mock_test_support.hpp"

namespace switchyard::mock::testing {
namespace {

const std::string kWeatherTools =
    R"(,"tools":[{"type":"function","function":{"name":"weather","parameters":{"type":"object",)"
    R"("properties":{"location":{"type":"string"},"days":{"type":"integer"},)"
    R"("unit":{"type":"string","enum":["c","f"]},"detailed":{"type":"boolean"},)"
    R"("optional":{"type":"string"}},"required":["location","days","unit","detailed"]}}},)"
    R"({"type":"function","function":{"name":"time","parameters":{"type":"object",)"
    R"("properties":{"zone":{"type":"string"}},"required":["zone"]}}}])";

json::object chatAnswer(uint16_t port, const std::string& extra = {}) {
  auto res = post(port, "/v1/chat/completions", chatBody(extra));
  EXPECT_EQ(res.status, 200u) << res.body;
  EXPECT_EQ(res.headers["content-type"], "application/json");
  auto v = parseJson(res.body);
  return v.is_object() ? v.get_object() : json::object();
}

std::vector<json::value> streamChunks(uint16_t port, const std::string& extra,
                                      bool* sawDone = nullptr) {
  auto res = post(port, "/v1/chat/completions", chatBody(R"(,"stream":true)" + extra));
  EXPECT_EQ(res.status, 200u);
  EXPECT_FALSE(res.ec) << res.ec.message();
  EXPECT_EQ(res.headers["content-type"], "text/event-stream; charset=utf-8");
  EXPECT_EQ(res.headers["transfer-encoding"], "chunked");
  std::vector<json::value> out;
  for (const auto& data : sseData(res.body)) {
    if (data == "[DONE]") {
      if (sawDone) *sawDone = true;
      continue;
    }
    EXPECT_TRUE(sawDone == nullptr || !*sawDone) << "event after [DONE]";
    out.push_back(parseJson(data));
  }
  return out;
}

const json::value& at(const json::value& v, std::initializer_list<std::string_view> path) {
  const json::value* cur = &v;
  for (auto key : path) {
    if (cur->is_object() && cur->get_object().contains(key)) {
      cur = &cur->get_object().at(key);
    } else if (cur->is_array() && !cur->get_array().empty() && key == "0") {
      cur = &cur->get_array().front();
    } else {
      ADD_FAILURE() << "no " << key;
      static const json::value kNull;
      return kNull;
    }
  }
  return *cur;
}

TEST(MockProviderChat, NonStreamMatchesRecordedChatCompletions) {
  RunningMock mock;
  const json::value answer = chatAnswer(mock.port());

  ShapeRules deepseek;
  deepseek.ignore = {"prompt_cache_hit_tokens", "prompt_cache_miss_tokens"};
  deepseek.allowExtra = {"refusal", "annotations", "service_tier", "audio_tokens",
                         "completion_tokens_details"};
  expectSameShape(loadFixture("deepseek-text.json"), answer, deepseek);

  ShapeRules groq;
  groq.ignore = {"queue_time", "prompt_time",     "completion_time",
                 "total_time", "usage_breakdown", "x_groq"};
  groq.allowExtra = {"refusal", "annotations", "prompt_tokens_details",
                     "completion_tokens_details"};
  expectSameShape(loadFixture("groq-text.json"), answer, groq);

  // OpenAI's own usage object, as recorded in the last chunk of a stream.
  const auto chunks = loadChunks("openai-text.chunks.txt");
  expectSameShape(chunks.back().at("usage"), answer.at("usage"));

  EXPECT_EQ(answer.at("object"), "chat.completion");
  EXPECT_EQ(answer.at("model"), "gpt-4o-mini");
  EXPECT_TRUE(answer.at("id").get_string().starts_with("chatcmpl-"));
  EXPECT_EQ(at(answer, {"choices", "0", "finish_reason"}), "stop");
  const auto& usage = answer.at("usage").get_object();
  EXPECT_EQ(usage.at("completion_tokens"), 16);
  EXPECT_GE(usage.at("prompt_tokens").as_int64(), 1);
  EXPECT_EQ(usage.at("total_tokens").as_int64(),
            usage.at("prompt_tokens").as_int64() + usage.at("completion_tokens").as_int64());
  EXPECT_EQ(at(answer, {"usage", "prompt_tokens_details", "cached_tokens"}), 0);
  EXPECT_EQ(at(answer, {"usage", "completion_tokens_details", "reasoning_tokens"}), 0);
}

TEST(MockProviderChat, AnswerHasExactlyCompletionTokensWords) {
  RunningMock mock(withOptions([](MockOptions& o) { o.completionTokens = 7; }));
  const json::value answer = chatAnswer(mock.port());
  std::string content(at(answer, {"choices", "0", "message", "content"}).as_string());
  EXPECT_EQ(std::count(content.begin(), content.end(), ' '), 6) << content;
  EXPECT_EQ(at(answer, {"usage", "completion_tokens"}), 7);
  // Deterministic: the same request gets the same text.
  EXPECT_EQ(at(chatAnswer(mock.port()), {"choices", "0", "message", "content"}),
            json::value(content));
}

TEST(MockProviderChat, MaxTokensTruncatesWithFinishReasonLength) {
  RunningMock mock;
  const json::value answer = chatAnswer(mock.port(), R"(,"max_tokens":3)");
  EXPECT_EQ(at(answer, {"usage", "completion_tokens"}), 3);
  EXPECT_EQ(at(answer, {"choices", "0", "finish_reason"}), "length");
}

TEST(MockProviderChat, StreamChunksMatchRecordedOpenAiStream) {
  RunningMock mock;
  const auto recorded = loadChunks("openai-text.chunks.txt");
  ASSERT_GE(recorded.size(), 4u);
  bool done = false;
  const auto chunks =
      streamChunks(mock.port(), R"(,"stream_options":{"include_usage":true})", &done);
  EXPECT_TRUE(done);
  // role chunk, 16 content chunks, finish chunk, usage chunk
  ASSERT_EQ(chunks.size(), 19u);
  expectSameShape(recorded.front(), chunks.front());
  for (size_t i = 1; i + 2 < chunks.size(); ++i) expectSameShape(recorded[1], chunks[i]);
  expectSameShape(recorded[recorded.size() - 2], chunks[chunks.size() - 2]);
  expectSameShape(recorded.back(), chunks.back());

  EXPECT_EQ(at(chunks.front(), {"choices", "0", "delta", "role"}), "assistant");
  EXPECT_EQ(at(chunks[chunks.size() - 2], {"choices", "0", "finish_reason"}), "stop");
  EXPECT_TRUE(chunks.back().at("choices").as_array().empty());
  EXPECT_EQ(at(chunks.back(), {"usage", "completion_tokens"}), 16);
  for (size_t i = 0; i + 1 < chunks.size(); ++i) EXPECT_TRUE(chunks[i].at("usage").is_null());

  // The streamed text is the non-streamed answer.
  std::string text;
  for (size_t i = 1; i + 2 < chunks.size(); ++i) {
    text += at(chunks[i], {"choices", "0", "delta", "content"}).as_string();
  }
  EXPECT_EQ(at(chatAnswer(mock.port()), {"choices", "0", "message", "content"}), json::value(text));
}

TEST(MockProviderChat, StreamWithoutIncludeUsageCarriesNoUsage) {
  RunningMock mock(withOptions([](MockOptions& o) { o.completionTokens = 4; }));
  bool done = false;
  const auto chunks = streamChunks(mock.port(), "", &done);
  EXPECT_TRUE(done);
  ASSERT_EQ(chunks.size(), 6u);
  for (const auto& chunk : chunks) {
    EXPECT_FALSE(chunk.as_object().contains("usage"));
    EXPECT_EQ(chunk.at("choices").as_array().size(), 1u);
  }
}

TEST(MockProviderChat, ToolCallMatchesRecordedToolCall) {
  RunningMock mock;
  const json::value answer = chatAnswer(mock.port(), kWeatherTools);
  ShapeRules rules;
  rules.ignore = {"reasoning_content", "prompt_cache_hit_tokens", "prompt_cache_miss_tokens",
                  "index"};
  rules.allowExtra = {"refusal",
                      "annotations",
                      "service_tier",
                      "audio_tokens",
                      "accepted_prediction_tokens",
                      "rejected_prediction_tokens"};
  rules.nullable = {"content"};  // DeepSeek sends "" next to tool calls, OpenAI null
  expectSameShape(loadFixture("deepseek-tool-call.json"), answer, rules);

  EXPECT_EQ(at(answer, {"choices", "0", "finish_reason"}), "tool_calls");
  const auto& call = at(answer, {"choices", "0", "message", "tool_calls", "0"});
  EXPECT_TRUE(call.at("id").as_string().starts_with("call_"));
  EXPECT_EQ(call.at("type"), "function");
  EXPECT_EQ(at(call, {"function", "name"}), "weather");
  const auto args = parseJson(std::string(at(call, {"function", "arguments"}).as_string()));
  EXPECT_EQ(args, json::parse(R"({"location":"mock","days":1,"unit":"c","detailed":true})"));
}

TEST(MockProviderChat, ToolChoiceSelectsOrDisablesTheCall) {
  RunningMock mock;
  auto forced = chatAnswer(
      mock.port(),
      kWeatherTools + R"(,"tool_choice":{"type":"function","function":{"name":"time"}})");
  EXPECT_EQ(at(forced, {"choices", "0", "message", "tool_calls", "0", "function", "name"}), "time");
  auto none = chatAnswer(mock.port(), kWeatherTools + R"(,"tool_choice":"none")");
  EXPECT_EQ(at(none, {"choices", "0", "finish_reason"}), "stop");
  EXPECT_TRUE(at(none, {"choices", "0", "message", "content"}).is_string());
}

TEST(MockProviderChat, StreamedToolCallMatchesRecordedDeltas) {
  RunningMock mock;
  const auto recorded = loadChunks("deepseek-tool-call.chunks.txt");
  const json::value* recordedStart = nullptr;
  const json::value* recordedFragment = nullptr;
  for (const auto& chunk : recorded) {
    const auto& delta = at(chunk, {"choices", "0", "delta"}).as_object();
    if (!delta.contains("tool_calls")) continue;
    const auto& call = delta.at("tool_calls").as_array().front().as_object();
    if (call.contains("id") && !recordedStart) recordedStart = &delta.at("tool_calls");
    if (!call.contains("id") && !recordedFragment) recordedFragment = &chunk;
  }
  ASSERT_TRUE(recordedStart && recordedFragment);

  bool done = false;
  const auto chunks = streamChunks(mock.port(), kWeatherTools, &done);
  EXPECT_TRUE(done);
  ASSERT_GE(chunks.size(), 3u);
  expectSameShape(*recordedStart, at(chunks.front(), {"choices", "0", "delta", "tool_calls"}));
  EXPECT_EQ(
      at(chunks.front(), {"choices", "0", "delta", "tool_calls", "0", "function", "arguments"}),
      "");
  std::string arguments;
  for (size_t i = 1; i + 1 < chunks.size(); ++i) {
    expectSameShape(at(*recordedFragment, {"choices", "0", "delta"}),
                    at(chunks[i], {"choices", "0", "delta"}));
    arguments +=
        at(chunks[i], {"choices", "0", "delta", "tool_calls", "0", "function", "arguments"})
            .as_string();
  }
  EXPECT_EQ(parseJson(arguments),
            json::parse(R"({"location":"mock","days":1,"unit":"c","detailed":true})"));
  EXPECT_EQ(at(chunks.back(), {"choices", "0", "finish_reason"}), "tool_calls");
}

TEST(MockProviderChat, AzureDeploymentNamesTheModel) {
  RunningMock mock;
  auto res = post(mock.port(), "/openai/deployments/my-gpt/chat/completions?api-version=2024-10-21",
                  R"({"messages":[{"role":"user","content":"hi"}]})");
  ASSERT_EQ(res.status, 200u) << res.body;
  EXPECT_EQ(parseJson(res.body).at("model"), "my-gpt");
  res = post(mock.port(), "/chat/completions", chatBody());
  EXPECT_EQ(res.status, 200u);
}

TEST(MockProviderChat, InvalidRequestsGetOpenAiErrors) {
  RunningMock mock;
  const json::value recorded = loadFixture("openai-error.1.json");
  struct Case {
    std::string target;
    std::string body;
    unsigned status;
    std::string param;
  };
  for (const Case& c :
       std::vector<Case>{{"/v1/chat/completions", "{not json", 400, ""},
                         {"/v1/chat/completions", "[1,2]", 400, ""},
                         {"/v1/chat/completions", R"({"messages":[]})", 400, ""},
                         {"/v1/chat/completions", R"({"model":"gpt-4o"})", 400, "messages"},
                         {"/v1/completions", R"({"model":"gpt-4o"})", 400, "prompt"},
                         {"/v1/nothing-here", "{}", 404, ""}}) {
    auto res = post(mock.port(), c.target, c.body);
    EXPECT_EQ(res.status, c.status) << c.body;
    const json::value error = parseJson(res.body);
    ShapeRules rules;
    rules.nullable = {"param", "code"};
    expectSameShape(recorded, error, rules);
    EXPECT_EQ(at(error, {"error", "type"}), "invalid_request_error");
    if (c.param.empty()) {
      EXPECT_TRUE(at(error, {"error", "param"}).is_null());
    } else {
      EXPECT_EQ(at(error, {"error", "param"}), json::value(c.param));
    }
  }
  // The mock is still serving.
  EXPECT_EQ(post(mock.port(), "/v1/chat/completions", chatBody()).status, 200u);
}

TEST(MockProviderChat, ModelsListIsAnOpenAiList) {
  RunningMock mock;
  auto res = get(mock.port(), "/v1/models");
  ASSERT_EQ(res.status, 200u);
  const auto list = parseJson(res.body);
  EXPECT_EQ(list.at("object"), "list");
  ASSERT_FALSE(list.at("data").as_array().empty());
  for (const auto& model : list.at("data").as_array()) {
    EXPECT_EQ(model.at("object"), "model");
    EXPECT_TRUE(model.at("id").is_string());
    EXPECT_TRUE(model.at("created").is_int64());
    EXPECT_TRUE(model.at("owned_by").is_string());
  }
  EXPECT_EQ(get(mock.port(), "/models").status, 200u);
  EXPECT_EQ(parseJson(get(mock.port(), "/v1/models/gpt-4o").body).at("id"), "gpt-4o");
}

TEST(MockProviderChat, KeepAliveServesSeveralRequestsOnOneConnection) {
  RunningMock mock;
  Client client(mock.port());
  for (int i = 0; i < 3; ++i) {
    auto res = client.send(http::verb::post, "/v1/chat/completions",
                           chatBody(i == 1 ? R"(,"stream":true)" : ""));
    EXPECT_EQ(res.status, 200u);
    EXPECT_FALSE(res.ec);
  }
  auto stats = parseJson(client.send(http::verb::get, "/mock/stats").body);
  EXPECT_EQ(stats.at("requests"), 3);
  EXPECT_EQ(stats.at("completed_streams"), 1);
}

}  // namespace
}  // namespace switchyard::mock::testing
