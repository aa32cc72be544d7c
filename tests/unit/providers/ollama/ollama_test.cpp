// OpenAI ⇄ Ollama's native API: /api/chat and /api/embed request mapping field by field, whole
// answers, NDJSON streams split at every point, errors; the /v1 api_base that keeps the
// OpenAI-compatible API.

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "api/openai/parse_request.hpp"
#include "config/config_test_util.hpp"
#include "config/loader.hpp"
#include "providers/bedrock/chunk_assembly.hpp"
#include "providers/ollama/ollama_adapter.hpp"
#include "support/openai_chunks.hpp"

namespace switchyard {
namespace {

namespace json = boost::json;

json::object parseObject(std::string_view s) { return json::parse(s).as_object(); }

Deployment ollamaDeployment(std::string base = "http://gpu-box:11434") {
  Deployment d;
  d.id = "llama#0";
  d.provider = "ollama_chat";
  d.format = WireFormat::kOllama;
  d.upstreamModel = "llama3.1:8b";
  d.apiBase = *parseUrl(base);
  return d;
}

TEST(OllamaRequest, MapsAConversationFieldByField) {
  const auto body = parseObject(R"({
    "model": "llama",
    "messages": [
      {"role": "developer", "content": "Be terse."},
      {"role": "user", "content": [{"type": "text", "text": "What is this? "},
                                   {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo="}}]},
      {"role": "assistant", "content": null, "reasoning_content": "Check the weather.", "tool_calls": [
        {"id": "call_1", "type": "function", "function": {"name": "weather", "arguments": "{\"city\":\"Paris\"}"}}]},
      {"role": "tool", "tool_call_id": "call_1", "content": "sunny"},
      {"role": "user", "content": "Thanks"}
    ],
    "temperature": 0.3, "top_p": 0.8, "max_completion_tokens": 100, "stop": "END", "seed": 7,
    "frequency_penalty": 0.1, "presence_penalty": 0.2, "num_ctx": 8192, "keep_alive": "5m",
    "response_format": {"type": "json_schema", "json_schema": {"name": "x", "schema": {"type": "object"}}},
    "tools": [{"type": "function", "function": {"name": "weather", "parameters": {"type": "object"}}}],
    "reasoning_effort": "low", "stream": true
  })");
  auto converted = ollama::toChat(body, "llama3.1:8b", false);
  ASSERT_TRUE(converted) << converted.error().message;
  const json::value expected = json::parse(R"({
    "model": "llama3.1:8b",
    "messages": [
      {"role": "system", "content": "Be terse."},
      {"role": "user", "content": "What is this? ", "images": ["iVBORw0KGgo="]},
      {"role": "assistant", "content": "", "thinking": "Check the weather.", "tool_calls": [
        {"function": {"name": "weather", "arguments": {"city": "Paris"}}}]},
      {"role": "tool", "content": "sunny", "tool_name": "weather"},
      {"role": "user", "content": "Thanks"}
    ],
    "stream": true,
    "options": {"num_ctx": 8192, "temperature": 0.3, "top_p": 0.8, "seed": 7,
                "frequency_penalty": 0.1, "presence_penalty": 0.2, "num_predict": 100,
                "stop": ["END"]},
    "format": {"type": "object"},
    "tools": [{"type": "function", "function": {"name": "weather", "parameters": {"type": "object"}}}],
    "think": true,
    "keep_alive": "5m"
  })");
  EXPECT_EQ(json::value(*converted), expected) << json::serialize(*converted);
}

TEST(OllamaRequest, StreamIsAlwaysSaidAndChoicesMapToOllamasForms) {
  // Ollama streams by default: a whole answer must say so.
  auto plain =
      ollama::toChat(parseObject(R"({"messages":[{"role":"user","content":"hi"}]})"), "m", false);
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->at("stream"), json::value(false));
  EXPECT_FALSE(plain->contains("options"));

  auto jsonMode = ollama::toChat(parseObject(R"({"messages":[{"role":"user","content":"hi"}],
                      "response_format":{"type":"json_object"},
                      "tools":[{"type":"function","function":{"name":"a"}},
                               {"type":"function","function":{"name":"b"}}],
                      "tool_choice":{"type":"function","function":{"name":"b"}}})"),
                                 "gpt-oss:20b", false);
  ASSERT_TRUE(jsonMode);
  EXPECT_EQ(jsonMode->at("format"), json::value("json"));
  ASSERT_EQ(jsonMode->at("tools").as_array().size(), 1u);
  EXPECT_EQ(jsonMode->at("tools").as_array()[0].at("function").at("name"), json::value("b"));

  auto none = ollama::toChat(parseObject(R"({"messages":[{"role":"user","content":"hi"}],
      "tools":[{"type":"function","function":{"name":"a"}}], "tool_choice":"none",
      "reasoning_effort":"high"})"),
                             "gpt-oss:20b", false);
  ASSERT_TRUE(none);
  EXPECT_FALSE(none->contains("tools"));
  // gpt-oss takes the effort itself.
  EXPECT_EQ(none->at("think"), json::value("high"));
}

TEST(OllamaRequest, RefusesWhatOllamaCannotTake) {
  auto url = ollama::toChat(parseObject(R"({"messages":[{"role":"user","content":[
      {"type":"image_url","image_url":{"url":"https://example.com/cat.png"}}]}]})"),
                            "m", false);
  ASSERT_FALSE(url);
  EXPECT_NE(url.error().message.find("base64 data: URL"), std::string::npos);
  EXPECT_FALSE(ollama::toChat(parseObject(R"({"messages":[]})"), "m", false));
  EXPECT_FALSE(ollama::toChat(parseObject(R"({"messages":[{"role":"assistant","content":"",
      "tool_calls":[{"id":"c","function":{"name":"f","arguments":"not json"}}]}]})"),
                              "m", false));
  const auto logprobs =
      parseObject(R"({"messages":[{"role":"user","content":"hi"}],"logprobs":true})");
  EXPECT_FALSE(ollama::toChat(logprobs, "m", false));
  EXPECT_TRUE(ollama::toChat(logprobs, "m", true));
  EXPECT_FALSE(ollama::toEmbed(parseObject(R"({"input":[[1,2,3]]})"), "m"));
}

TEST(OllamaAdapter, TargetsTheNativePathsAndTheOpenAiCompletions) {
  const auto& adapter = adapterFor(WireFormat::kOllama);
  Deployment d = ollamaDeployment();
  d.apiKey = "proxy-key";
  auto chat =
      parseOpenAiRequest(Endpoint::kChatCompletions,
                         R"({"model":"llama","messages":[{"role":"user","content":"hi"}]})");
  ASSERT_TRUE(chat);
  auto built = adapter.buildRequest(*chat, d);
  ASSERT_TRUE(built) << built.error().message;
  EXPECT_EQ(built->target, "/api/chat");
  ASSERT_EQ(built->headers.size(), 1u);
  EXPECT_EQ(built->headers[0].second, "Bearer proxy-key");

  auto embed = parseOpenAiRequest(Endpoint::kEmbeddings, R"({"model":"e","input":"hi"})");
  ASSERT_TRUE(embed);
  auto embedBuilt = adapter.buildRequest(*embed, d);
  ASSERT_TRUE(embedBuilt);
  EXPECT_EQ(embedBuilt->target, "/api/embed");
  EXPECT_EQ(json::parse(embedBuilt->body),
            json::parse(R"({"model":"llama3.1:8b","input":["hi"]})"));

  auto legacy = parseOpenAiRequest(Endpoint::kCompletions, R"({"model":"l","prompt":"Once"})");
  ASSERT_TRUE(legacy);
  auto legacyBuilt = adapter.buildRequest(*legacy, d);
  ASSERT_TRUE(legacyBuilt);
  EXPECT_EQ(legacyBuilt->target, "/v1/completions");
  EXPECT_EQ(json::parse(legacyBuilt->body).at("prompt"), json::value("Once"));
}

TEST(OllamaConfig, AnApiBaseEndingInV1KeepsTheOpenAiCompatibleApi) {
  auto loaded = loadConfigText(
      "model_list:\n"
      "  - model_name: native\n"
      "    litellm_params: {model: ollama/llama3}\n"
      "  - model_name: compat\n"
      "    litellm_params: {model: ollama_chat/llama3, api_base: 'http://gpu-box:11434/v1/'}\n",
      testing::mapEnvironment({}), "test");
  ASSERT_TRUE(loaded.ok()) << testing::allDiagnostics(loaded);
  const auto& deployments = loaded.snapshot->deployments;
  ASSERT_EQ(deployments.size(), 2u);
  EXPECT_EQ(deployments[0]->format, WireFormat::kOllama);
  EXPECT_EQ(deployments[0]->apiBase.port, 11434);
  EXPECT_EQ(deployments[0]->apiBase.host, "localhost");
  EXPECT_EQ(deployments[1]->format, WireFormat::kOpenAi);
}

TEST(OllamaResponse, WholeAnswerWithThinkingAndToolCalls) {
  Usage usage;
  auto out = ollama::fromChat(R"({"model":"llama3.1:8b","created_at":"2026-01-01T00:00:00Z",
      "message":{"role":"assistant","content":"","thinking":"Need weather.",
                 "tool_calls":[{"function":{"name":"weather","arguments":{"city":"Paris"}}}]},
      "done":true,"done_reason":"stop","prompt_eval_count":12,"eval_count":7})",
                              "llama", usage);
  ASSERT_TRUE(out) << out.error().message;
  const auto answer = parseObject(*out);
  const auto& choice = answer.at("choices").as_array()[0].as_object();
  EXPECT_EQ(choice.at("finish_reason"), json::value("tool_calls"));
  const auto& message = choice.at("message").as_object();
  EXPECT_TRUE(message.at("content").is_null());
  EXPECT_EQ(message.at("reasoning_content"), json::value("Need weather."));
  const auto& call = message.at("tool_calls").as_array()[0].as_object();
  EXPECT_TRUE(call.at("id").as_string().starts_with("call_"));
  EXPECT_EQ(json::parse(call.at("function").at("arguments").as_string()),
            json::parse(R"({"city":"Paris"})"));
  EXPECT_EQ(answer.at("model"), json::value("llama"));
  EXPECT_TRUE(usage.present);
  EXPECT_EQ(usage.promptTokens, 12);
  EXPECT_EQ(usage.completionTokens, 7);
  EXPECT_EQ(answer.at("usage").at("total_tokens"), json::value(19));

  Usage truncated;
  auto length = ollama::fromChat(
      R"({"message":{"role":"assistant","content":"Hel"},"done":true,"done_reason":"length"})",
      "llama", truncated);
  ASSERT_TRUE(length);
  EXPECT_EQ(parseObject(*length).at("choices").as_array()[0].at("finish_reason"),
            json::value("length"));
  EXPECT_FALSE(truncated.present) << "no counts: the usage is unknown, not zero";
  EXPECT_FALSE(ollama::fromChat(R"({"done":true})", "llama", truncated));
}

TEST(OllamaResponse, EmbeddingsAsOpenAisList) {
  auto req = parseOpenAiRequest(Endpoint::kEmbeddings, R"({"model":"e","input":["a","b"]})");
  ASSERT_TRUE(req);
  Usage usage;
  auto out = ollama::fromEmbed(
      R"({"model":"nomic","embeddings":[[0.1,0.2],[0.3,0.4]],"prompt_eval_count":4})", *req, usage);
  ASSERT_TRUE(out) << out.error().message;
  const auto list = parseObject(*out);
  EXPECT_EQ(list.at("data").as_array().size(), 2u);
  EXPECT_EQ(list.at("data").as_array()[1].at("embedding"), json::parse("[0.3,0.4]"));
  EXPECT_EQ(usage.promptTokens, 4);
}

TEST(OllamaErrors, ErrorBodiesKeepTheirMessage) {
  const Error e = ollama::classifyError(404, R"({"error":"model 'llama9' not found"})", "");
  EXPECT_EQ(e.status, 404);
  EXPECT_NE(e.message.find("model 'llama9' not found"), std::string::npos);
  EXPECT_EQ(ollama::classifyError(500, "", "").status, 502);
}

constexpr std::string_view kStream =
    "{\"model\":\"m\",\"message\":{\"role\":\"assistant\",\"content\":\"\",\"thinking\":\"Hm.\"},"
    "\"done\":false}\n"
    "{\"model\":\"m\",\"message\":{\"role\":\"assistant\",\"content\":\"Hel\"},\"done\":false}\n"
    "{\"model\":\"m\",\"message\":{\"role\":\"assistant\",\"content\":\"lo ☀\"},\"done\":false}\r\n"
    "\n"
    "{\"model\":\"m\",\"message\":{\"role\":\"assistant\",\"content\":\"\"},\"done\":true,"
    "\"done_reason\":\"stop\",\"prompt_eval_count\":5,\"eval_count\":3}\n";

TEST(OllamaStream, NdjsonSplitAtEveryPointGivesTheSameAnswer) {
  for (size_t cut = 0; cut <= kStream.size(); ++cut) {
    testing::OpenAiChunks<OllamaStreamDecoder> t(true, "llama");
    std::string out;
    Usage usage;
    ASSERT_TRUE(t.onBytes(kStream.substr(0, cut), out, usage));
    ASSERT_TRUE(t.onBytes(kStream.substr(cut), out, usage));
    ASSERT_TRUE(t.finished()) << cut;
    const auto seen = testing::assemble(out);
    EXPECT_EQ(seen.content, "Hello ☀") << cut;
    EXPECT_EQ(seen.reasoning, "Hm.");
    ASSERT_EQ(seen.finishReasons.size(), 1u);
    EXPECT_EQ(seen.finishReasons[0], "stop");
    EXPECT_EQ(usage.promptTokens, 5);
    EXPECT_EQ(usage.completionTokens, 3);
    EXPECT_TRUE(seen.done);
  }
}

TEST(OllamaStream, ToolCallsArriveWholeAndAnErrorLineFails) {
  testing::OpenAiChunks<OllamaStreamDecoder> t(false, "llama");
  std::string out;
  Usage usage;
  ASSERT_TRUE(t.onBytes(
      "{\"message\":{\"role\":\"assistant\",\"content\":\"\",\"tool_calls\":[{\"function\":"
      "{\"name\":\"weather\",\"arguments\":{\"city\":\"Oslo\"}}}]},\"done\":false}\n"
      "{\"message\":{\"role\":\"assistant\",\"content\":\"\"},\"done\":true,\"done_reason\":"
      "\"stop\",\"eval_count\":9}\n",
      out, usage));
  const auto seen = testing::assemble(out);
  ASSERT_EQ(seen.toolCalls.size(), 1u);
  EXPECT_EQ(seen.toolCalls.at(0).name, "weather");
  EXPECT_EQ(json::parse(seen.toolCalls.at(0).arguments), json::parse(R"({"city":"Oslo"})"));
  ASSERT_EQ(seen.finishReasons.size(), 1u);
  EXPECT_EQ(seen.finishReasons[0], "tool_calls");

  testing::OpenAiChunks<OllamaStreamDecoder> failing(false, "llama");
  std::string failed;
  auto r =
      failing.onBytes("{\"error\":\"model runner has unexpectedly stopped\"}\n", failed, usage);
  ASSERT_FALSE(r) << "an error before the answer began is the attempt's error";
  EXPECT_NE(r.error().message.find("unexpectedly stopped"), std::string::npos);
  testing::OpenAiChunks<OllamaStreamDecoder> garbage(false, "llama");
  EXPECT_FALSE(garbage.onBytes("not json\n", failed, usage));
}

}  // namespace
}  // namespace switchyard
