// Recorded Google answers (tests/fixtures/google) translated to OpenAI's format: whole
// responses, streams replayed at arbitrary split points, embeddings and errors.

#include <gtest/gtest.h>

#include "support/openai_chunks.hpp"

#include <boost/json.hpp>
#include <random>

#include "client/sse_parser.hpp"
#include "providers/gemini/gemini_adapter.hpp"
#include "providers/gemini/gemini_translate.hpp"
#include "support/fixtures.hpp"

namespace switchyard {
namespace {

namespace json = boost::json;

json::object translateWhole(const std::string& fixture, Usage& usage) {
  auto r = geminiChatResponse(testing::readFixture("google/" + fixture), "gemini-test", usage);
  EXPECT_TRUE(r) << fixture << ": " << (r ? "" : r.error().message);
  return r ? json::parse(*r).as_object() : json::object();
}

const json::object& firstChoice(const json::object& resp) {
  return resp.at("choices").as_array().at(0).as_object();
}

TEST(GeminiResponse, TextWithThinkingTokens) {
  Usage usage;
  auto resp = translateWhole("google-text.json", usage);
  EXPECT_EQ(resp.at("object"), "chat.completion");
  EXPECT_EQ(resp.at("id"), "chatcmpl-Un6LacrVMcjUxs0PmJfWoQc");
  EXPECT_EQ(resp.at("model"), "gemini-3-pro-preview");
  const auto& choice = firstChoice(resp);
  EXPECT_EQ(choice.at("index"), 0);
  EXPECT_EQ(choice.at("finish_reason"), "stop");
  const auto& msg = choice.at("message").as_object();
  EXPECT_EQ(msg.at("role"), "assistant");
  EXPECT_EQ(msg.at("content"),
            "There are **3** r's in strawberry.\n\nHere is the breakdown: st**r**awbe**rr**y.");
  EXPECT_FALSE(msg.contains("tool_calls"));
  EXPECT_FALSE(msg.contains("reasoning_content"));
  // completion = candidates (28) + thoughts (244)
  EXPECT_TRUE(usage.present);
  EXPECT_EQ(usage.promptTokens, 9);
  EXPECT_EQ(usage.completionTokens, 272);
  EXPECT_EQ(usage.reasoningTokens, 244);
  EXPECT_EQ(usage.cachedPromptTokens, 0);
  EXPECT_EQ(usage.totalTokens, 281);
  EXPECT_EQ(resp.at("usage"), json::parse(R"({"prompt_tokens":9,"completion_tokens":272,
      "total_tokens":281,"prompt_tokens_details":{"cached_tokens":0},
      "completion_tokens_details":{"reasoning_tokens":244}})"));
}

TEST(GeminiResponse, ReasoningFixtures) {
  for (auto [file, completion, reasoning] :
       {std::tuple{"google-reasoning.json", 311, 282},
        std::tuple{"google-reasoning-gemini3.json", 287, 258}}) {
    Usage usage;
    auto resp = translateWhole(file, usage);
    EXPECT_EQ(firstChoice(resp).at("message").at("content"),
              "There are **3** \"r\"s in strawberry.\n\nHere is the breakdown: st**r**awbe**rr**y.")
        << file;
    EXPECT_EQ(usage.completionTokens, completion) << file;
    EXPECT_EQ(usage.reasoningTokens, reasoning) << file;
  }
}

TEST(GeminiResponse, ThoughtPartsBecomeReasoningContent) {
  Usage usage;
  auto r = geminiChatResponse(R"({"candidates":[{"content":{"role":"model","parts":[
      {"text":"Counting letters...","thought":true},{"text":"Three."}]},"finishReason":"STOP"}]})",
                              "gemini-2.5-flash", usage);
  ASSERT_TRUE(r);
  auto resp = json::parse(*r).as_object();
  const auto& msg = firstChoice(resp).at("message").as_object();
  EXPECT_EQ(msg.at("content"), "Three.");
  EXPECT_EQ(msg.at("reasoning_content"), "Counting letters...");
  EXPECT_EQ(resp.at("model"), "gemini-2.5-flash");
  EXPECT_FALSE(usage.present);
  EXPECT_FALSE(resp.contains("usage"));
}

TEST(GeminiResponse, Gemini3ToolCall) {
  Usage usage;
  auto resp = translateWhole("google-tool-call-gemini3.json", usage);
  const auto& choice = firstChoice(resp);
  EXPECT_EQ(choice.at("finish_reason"), "tool_calls");
  const auto& msg = choice.at("message").as_object();
  EXPECT_TRUE(msg.at("content").is_null());
  const auto& calls = msg.at("tool_calls").as_array();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].at("id"), "call_0");
  EXPECT_EQ(calls[0].at("type"), "function");
  EXPECT_EQ(calls[0].at("function").at("name"), "weather");
  EXPECT_EQ(json::parse(calls[0].at("function").at("arguments").as_string()),
            json::parse(R"({"location":"San Francisco"})"));
  EXPECT_TRUE(
      calls[0]
          .at("provider_specific_fields")
          .at("thought_signature")
          .as_string()
          .starts_with("Eqo+Cqc+Ab4+9vtgONaaz6qwy6WXdp7gCd2w0X+Wz2gaBgY0Gv6A12JKo0y5vQwf9YQFy"));
  EXPECT_EQ(usage.promptTokens, 29);
  EXPECT_EQ(usage.completionTokens, 15 + 1801);
  EXPECT_EQ(usage.reasoningTokens, 1801);
}

TEST(GeminiResponse, GroundingMetadataDoesNotDisturbTranslation) {
  Usage usage;
  auto resp = translateWhole("google-search-grounding.json", usage);
  EXPECT_EQ(firstChoice(resp).at("message").at("content"),
            "Spain won Euro 2024, defeating England 2-1 in the final.");
  EXPECT_EQ(firstChoice(resp).at("finish_reason"), "stop");
  EXPECT_EQ(usage.promptTokens, 12 + 40);  // tool-use (search) prompt tokens count as input
  EXPECT_EQ(usage.completionTokens, 15 + 60);
  EXPECT_EQ(usage.totalTokens, 127);
}

TEST(GeminiResponse, StructuredOutputAndCachedTokens) {
  Usage usage;
  auto resp = translateWhole("google-structured-output.json", usage);
  EXPECT_EQ(json::parse(firstChoice(resp).at("message").at("content").as_string()),
            json::parse(R"({"name":"John Doe","age":30})"));
  EXPECT_EQ(usage.cachedPromptTokens, 4);
  EXPECT_EQ(resp.at("usage").at("prompt_tokens_details").at("cached_tokens"), 4);
}

TEST(GeminiResponse, BlockedPromptAndSafetyStopAreContentFilter) {
  Usage usage;
  auto blocked = translateWhole("google-prompt-blocked.json", usage);
  EXPECT_EQ(firstChoice(blocked).at("finish_reason"), "content_filter");
  EXPECT_EQ(firstChoice(blocked).at("message").at("content"), "");
  EXPECT_EQ(usage.promptTokens, 8);
  Usage usage2;
  auto safety = translateWhole("google-safety-finish.json", usage2);
  EXPECT_EQ(firstChoice(safety).at("finish_reason"), "content_filter");
  EXPECT_EQ(firstChoice(safety).at("message").at("content"), "");
}

TEST(GeminiResponse, FinishReasonMapping) {
  EXPECT_EQ(geminiFinishReason("STOP", false), "stop");
  EXPECT_EQ(geminiFinishReason("STOP", true), "tool_calls");
  EXPECT_EQ(geminiFinishReason("MAX_TOKENS", false), "length");
  for (auto r : {"SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII"}) {
    EXPECT_EQ(geminiFinishReason(r, false), "content_filter") << r;
  }
  EXPECT_EQ(geminiFinishReason("OTHER", false), "stop");
}

TEST(GeminiResponse, MalformedBodiesAreBadUpstream) {
  for (const char* body : {"not json", "[]", R"({"candidates":[42]})", R"({"candidates":[]})",
                           R"({"usageMetadata":{"promptTokenCount":"x"}})"}) {
    Usage usage;
    auto r = geminiChatResponse(body, "m", usage);
    ASSERT_FALSE(r) << body;
    EXPECT_EQ(r.error().cls, ErrorClass::kBadUpstream) << body;
  }
}

// ---- streams ----

struct Replay {
  std::vector<json::object> chunks;  // translated chat.completion.chunk payloads
  size_t doneMarkers = 0;
  Usage usage;
  bool finished = false;
};

Replay replay(const std::vector<std::string>& events, bool clientWantsUsage, std::mt19937& rng) {
  std::string wire;
  for (const auto& e : events) wire += "data: " + e + "\r\n\r\n";
  testing::OpenAiChunks<GeminiStreamDecoder> translator(clientWantsUsage, "gemini-test");
  std::string out;
  Replay r;
  std::uniform_int_distribution<size_t> pieceSize(1, 300);
  for (size_t pos = 0; pos < wire.size();) {
    const size_t n = std::min(pieceSize(rng), wire.size() - pos);
    auto result = translator.onBytes(std::string_view(wire).substr(pos, n), out, r.usage);
    EXPECT_TRUE(result) << (result ? "" : result.error().message);
    pos += n;
  }
  r.finished = translator.finished();
  SseParser client;
  client.feed(out, [&](const SseEvent& e) {
    if (e.data == "[DONE]") {
      ++r.doneMarkers;
      return;
    }
    EXPECT_EQ(r.doneMarkers, 0u) << "chunk after [DONE]";
    r.chunks.push_back(json::parse(e.data).as_object());
  });
  return r;
}

// What an OpenAI client would assemble from the chunks.
struct Assembled {
  std::string role;
  std::string content;
  std::string reasoning;
  struct Call {
    std::string id, name, arguments, signature;
  };
  std::vector<Call> calls;
  std::string finishReason;
  size_t finishChunks = 0;
  size_t usageChunks = 0;
  json::value usage;
};

Assembled assemble(const Replay& r) {
  Assembled a;
  for (const auto& chunk : r.chunks) {
    EXPECT_EQ(chunk.at("object"), "chat.completion.chunk");
    EXPECT_TRUE(chunk.at("id").as_string().starts_with("chatcmpl-"));
    const auto& choices = chunk.at("choices").as_array();
    if (choices.empty()) {
      ++a.usageChunks;
      a.usage = chunk.at("usage");
      continue;
    }
    EXPECT_EQ(a.usageChunks, 0u) << "usage chunk must come last";
    const auto& choice = choices[0].as_object();
    const auto& delta = choice.at("delta").as_object();
    if (const auto* role = delta.if_contains("role")) a.role = role->as_string();
    if (const auto* c = delta.if_contains("content"); c && c->is_string()) {
      a.content += c->as_string();
    }
    if (const auto* c = delta.if_contains("reasoning_content")) a.reasoning += c->as_string();
    if (const auto* calls = delta.if_contains("tool_calls")) {
      for (const auto& tc : calls->as_array()) {
        const auto index = size_t(tc.at("index").as_int64());
        if (index == a.calls.size()) a.calls.emplace_back();
        EXPECT_LT(index, a.calls.size());
        auto& call = a.calls[index];
        if (const auto* id = tc.as_object().if_contains("id")) call.id = id->as_string();
        const auto& fn = tc.at("function").as_object();
        if (const auto* n = fn.if_contains("name")) call.name = n->as_string();
        if (const auto* f = tc.as_object().if_contains("provider_specific_fields")) {
          call.signature = f->at("thought_signature").as_string();
        }
        if (const auto* args = fn.if_contains("arguments")) call.arguments += args->as_string();
      }
    }
    if (!choice.at("finish_reason").is_null()) {
      ++a.finishChunks;
      a.finishReason = choice.at("finish_reason").as_string();
    }
  }
  return a;
}

class GeminiStream : public ::testing::TestWithParam<unsigned> {
 protected:
  std::mt19937 rng{GetParam()};
};

TEST_P(GeminiStream, TextWithUsage) {
  auto r = replay(testing::readChunks("google/google-text.chunks.txt"), true, rng);
  EXPECT_TRUE(r.finished);
  EXPECT_EQ(r.doneMarkers, 1u);
  auto a = assemble(r);
  EXPECT_EQ(r.chunks.front().at("choices").at(0).at("delta"),
            json::parse(R"({"role":"assistant","content":""})"));
  EXPECT_EQ(a.role, "assistant");
  EXPECT_EQ(a.content, "There are **3** \"r\"s in strawberry.\n\nst**r**awbe**rr**y");
  EXPECT_EQ(a.finishReason, "stop");
  EXPECT_EQ(a.finishChunks, 1u);
  EXPECT_EQ(a.usageChunks, 1u);
  EXPECT_EQ(a.usage, json::parse(R"({"prompt_tokens":9,"completion_tokens":208,"total_tokens":217,
      "prompt_tokens_details":{"cached_tokens":0},"completion_tokens_details":{"reasoning_tokens":185}})"));
  EXPECT_EQ(r.usage.promptTokens, 9);
  EXPECT_EQ(r.usage.completionTokens, 208);
  EXPECT_EQ(r.usage.reasoningTokens, 185);
  EXPECT_EQ(r.chunks.front().at("model"), "gemini-3-pro-preview");
}

TEST_P(GeminiStream, UsageChunkOnlyWhenTheClientAskedButUsageAlwaysRecorded) {
  auto r = replay(testing::readChunks("google/google-reasoning.chunks.txt"), false, rng);
  auto a = assemble(r);
  EXPECT_EQ(a.usageChunks, 0u);
  EXPECT_EQ(r.doneMarkers, 1u);
  EXPECT_EQ(a.content,
            "There are **3** \"r\"s in strawberry.\n\nHere is the breakdown: st**r**awbe**rr**y.");
  EXPECT_EQ(r.usage.completionTokens, 29 + 256);
  EXPECT_EQ(r.usage.reasoningTokens, 256);
  auto g3 = assemble(
      replay(testing::readChunks("google/google-reasoning-gemini3.chunks.txt"), false, rng));
  EXPECT_EQ(g3.content, "There are **3** \"r\"s in strawberry.\n\nSt**r**awbe**rr**y");
}

TEST_P(GeminiStream, ToolCallInOneEvent) {
  for (const char* file :
       {"google/google-tool-call.chunks.txt", "google/google-tool-call-gemini3.chunks.txt"}) {
    auto r = replay(testing::readChunks(file), true, rng);
    auto a = assemble(r);
    ASSERT_EQ(a.calls.size(), 1u) << file;
    EXPECT_EQ(a.calls[0].id, "call_0");
    EXPECT_EQ(a.calls[0].name, "weather");
    EXPECT_EQ(json::parse(a.calls[0].arguments), json::parse(R"({"location":"San Francisco"})"));
    EXPECT_EQ(a.finishReason, "tool_calls") << file;
    EXPECT_EQ(a.content, "");
    EXPECT_EQ(r.usage.promptTokens, 29);
    // Both recordings sign the call (the part's thoughtSignature); the client gets it as LiteLLM
    // shows it, to hand back on the next turn.
    const bool gemini3 = std::string_view(file).find("gemini3") != std::string_view::npos;
    EXPECT_TRUE(a.calls[0].signature.starts_with(gemini3 ? "EpEgCo4gAb4+9vvWwdN+NkNiCCwrqv"
                                                         : "EqUCCqICAb4+9vsh8Pd5taZVoPzS"))
        << file << ": " << a.calls[0].signature;
  }
}

TEST_P(GeminiStream, StreamedArgumentsArePutTogether) {
  auto r =
      replay(testing::readChunks("google/google-stream-tool-call-arguments.chunks.txt"), true, rng);
  EXPECT_TRUE(r.finished);
  auto a = assemble(r);
  ASSERT_EQ(a.calls.size(), 2u);
  EXPECT_EQ(a.calls[0].id, "call_0");
  EXPECT_EQ(a.calls[1].id, "call_1");
  EXPECT_EQ(a.calls[0].name, "getWeather");
  EXPECT_EQ(a.calls[1].name, "getWeather");
  EXPECT_EQ(json::parse(a.calls[0].arguments), json::parse(R"({"location":"Boston"})"));
  EXPECT_EQ(json::parse(a.calls[1].arguments), json::parse(R"({"location":"San Francisco"})"));
  EXPECT_EQ(a.finishReason, "tool_calls");
  EXPECT_EQ(r.usage.promptTokens, 26);
  EXPECT_EQ(r.usage.completionTokens, 23 + 132);
}

TEST_P(GeminiStream, NoArgumentCallsThoughtsAndParallelCalls) {
  auto r =
      replay(testing::readChunks("google/google-stream-no-args-tool-call.chunks.txt"), true, rng);
  auto a = assemble(r);
  EXPECT_TRUE(a.reasoning.starts_with("**Processing User Requests**")) << a.reasoning;
  EXPECT_EQ(a.content, "");
  ASSERT_EQ(a.calls.size(), 4u);
  EXPECT_EQ(a.calls[0].name, "read_theme");
  EXPECT_EQ(a.calls[0].arguments, "{}");
  const char* ids[] = {"A", "B", "C"};
  for (size_t i = 1; i < 4; ++i) {
    EXPECT_EQ(a.calls[i].name, "read_screen");
    EXPECT_EQ(a.calls[i].id, "call_" + std::to_string(i));
    EXPECT_EQ(json::parse(a.calls[i].arguments), json::value(json::object{{"id", ids[i - 1]}}));
  }
  EXPECT_EQ(a.finishReason, "tool_calls");
  EXPECT_EQ(r.usage.reasoningTokens, 183);
}

TEST_P(GeminiStream, NestedStreamedArgumentsFromVertex) {
  auto r = replay(
      testing::readChunks("google/google-vertex-stream-tool-call-arguments-nested.1.chunks.txt"),
      true, rng);
  auto a = assemble(r);
  ASSERT_EQ(a.calls.size(), 1u);
  EXPECT_EQ(a.calls[0].name, "cookRecipe");
  auto args = json::parse(a.calls[0].arguments);
  const auto& recipe = args.at("recipe").as_object();
  EXPECT_EQ(recipe.at("name"), "Lasagna");
  const auto& ingredients = recipe.at("ingredients").as_array();
  ASSERT_EQ(ingredients.size(), 10u);
  EXPECT_EQ(ingredients[0], json::parse(R"({"amount":"16 oz","name":"Lasagna noodles"})"));
  EXPECT_EQ(ingredients[9], json::parse(R"({"amount":"1/2 tsp","name":"Pepper"})"));
  const auto& steps = recipe.at("steps").as_array();
  ASSERT_EQ(steps.size(), 10u);
  EXPECT_EQ(steps[0], "Preheat oven to 375\u00b0F (190\u00b0C).");
  EXPECT_EQ(steps[1], "Cook lasagna noodles according to package directions, drain and set aside.");
  EXPECT_EQ(steps[4], "In a 9x13 baking dish, spread a thin layer of meat sauce.");
  EXPECT_EQ(a.finishReason, "tool_calls");
  EXPECT_EQ(r.usage.completionTokens, 684 + 1026);
}

TEST_P(GeminiStream, GroundedStream) {
  auto r = replay(testing::readChunks("google/google-search-grounding.chunks.txt"), true, rng);
  auto a = assemble(r);
  EXPECT_EQ(a.content, "Spain won Euro 2024, defeating England 2-1 in the final.");
  EXPECT_EQ(a.finishReason, "stop");
  EXPECT_EQ(r.usage.promptTokens, 52);
  EXPECT_EQ(a.usage.at("total_tokens"), 127);
}

INSTANTIATE_TEST_SUITE_P(Splits, GeminiStream, ::testing::Values(1u, 2u, 3u, 42u, 1234u));

TEST(GeminiStreamEdges, NotFinishedUntilAFinishReasonAndBlockedPromptEndsTheStream) {
  testing::OpenAiChunks<GeminiStreamDecoder> t(false, "m");
  std::string out;
  Usage usage;
  ASSERT_TRUE(
      t.onEvent({}, R"({"candidates":[{"content":{"parts":[{"text":"Hi"}]}}]})", out, usage));
  EXPECT_FALSE(t.finished());
  EXPECT_EQ(out.find("[DONE]"), std::string::npos);

  testing::OpenAiChunks<GeminiStreamDecoder> blocked(true, "m");
  std::string out2;
  ASSERT_TRUE(blocked.onEvent(
      {},
      R"({"promptFeedback":{"blockReason":"SAFETY"},"usageMetadata":{"promptTokenCount":4,"totalTokenCount":4}})",
      out2, usage));
  EXPECT_TRUE(blocked.finished());
  EXPECT_NE(out2.find(R"("finish_reason":"content_filter")"), std::string::npos) << out2;
  EXPECT_NE(out2.find("data: [DONE]"), std::string::npos);
  EXPECT_EQ(usage.promptTokens, 4);
}

TEST(GeminiStreamEdges, ErrorsAndGarbageFailTheStream) {
  testing::OpenAiChunks<GeminiStreamDecoder> t(false, "m");
  std::string out;
  Usage usage;
  auto garbage = t.onEvent({}, "{not json", out, usage);
  ASSERT_FALSE(garbage);
  EXPECT_EQ(garbage.error().cls, ErrorClass::kBadUpstream);
  auto err = t.onEvent(
      {}, R"({"error":{"code":503,"message":"The model is overloaded.","status":"UNAVAILABLE"}})",
      out, usage);
  ASSERT_FALSE(err);
  EXPECT_EQ(err.error().cls, ErrorClass::kUpstreamServer);
  EXPECT_EQ(err.error().status, 503);
  EXPECT_TRUE(t.onEvent({}, R"({"candidates":[17]})", out, usage).has_error());
}

// ---- errors ----

TEST(GoogleErrors, RateLimitWithRetryInfo) {
  auto e = classifyGoogleError(429, testing::readFixture("google/google-429-retry-info.json"), {});
  EXPECT_EQ(e.cls, ErrorClass::kRateLimited);
  EXPECT_EQ(e.status, 429);
  EXPECT_EQ(e.retryAfterSeconds, 35);  // 34.4s rounded up
  EXPECT_NE(e.message.find("You exceeded your current quota"), std::string::npos);
  EXPECT_TRUE(e.retryable());
}

TEST(GoogleErrors, ContextWindowAndInvalidKey) {
  auto e =
      classifyGoogleError(400, testing::readFixture("google/google-context-window-error.json"), {});
  EXPECT_EQ(e.cls, ErrorClass::kContextWindow);
  EXPECT_EQ(e.status, 400);
  EXPECT_EQ(e.code, "context_length_exceeded");
  e = classifyGoogleError(400, testing::readFixture("google/google-invalid-key-error.json"), {});
  EXPECT_EQ(e.cls, ErrorClass::kUnauthorized);
  EXPECT_EQ(e.status, 401);
}

TEST(GoogleErrors, StatusesMapToClasses) {
  struct Case {
    int http;
    const char* status;
    ErrorClass cls;
    int clientStatus;
  };
  for (const auto& c : {Case{400, "INVALID_ARGUMENT", ErrorClass::kBadRequest, 400},
                        Case{401, "UNAUTHENTICATED", ErrorClass::kUnauthorized, 401},
                        Case{403, "PERMISSION_DENIED", ErrorClass::kForbidden, 403},
                        Case{404, "NOT_FOUND", ErrorClass::kNotFound, 404},
                        Case{429, "RESOURCE_EXHAUSTED", ErrorClass::kRateLimited, 429},
                        Case{500, "INTERNAL", ErrorClass::kUpstreamServer, 502},
                        Case{503, "UNAVAILABLE", ErrorClass::kUpstreamServer, 503},
                        Case{504, "DEADLINE_EXCEEDED", ErrorClass::kTimeout, 504}}) {
    const std::string body = R"({"error":{"code":)" + std::to_string(c.http) +
                             R"(,"message":"m","status":")" + c.status + R"("}})";
    auto e = classifyGoogleError(c.http, body, {});
    EXPECT_EQ(e.cls, c.cls) << c.status;
    EXPECT_EQ(e.status, c.clientStatus) << c.status;
    // Streaming endpoints wrap the error in an array.
    EXPECT_EQ(classifyGoogleError(c.http, "[" + body + "]", {}).cls, c.cls) << c.status;
  }
  auto html = classifyGoogleError(502, "<html>Bad Gateway</html>", "7");
  EXPECT_EQ(html.cls, ErrorClass::kUpstreamServer);
  EXPECT_EQ(html.retryAfterSeconds, 7);
}

// ---- embeddings ----

TEST(GoogleEmbeddings, VertexPredictFixture) {
  Usage usage;
  auto r =
      vertexEmbeddingResponse(testing::readFixture("google-vertex/google-vertex-embedding.json"),
                              "text-embedding-005", false, usage);
  ASSERT_TRUE(r);
  auto list = json::parse(*r).as_object();
  EXPECT_EQ(list.at("object"), "list");
  EXPECT_EQ(list.at("model"), "text-embedding-005");
  const auto& data = list.at("data").as_array();
  ASSERT_EQ(data.size(), 2u);
  EXPECT_EQ(data[1].at("object"), "embedding");
  EXPECT_EQ(data[1].at("index"), 1);
  EXPECT_DOUBLE_EQ(data[0].at("embedding").at(0).as_double(), -0.017999587580561638);
  EXPECT_EQ(data[1].at("embedding").as_array().size(), 5u);
  EXPECT_EQ(list.at("usage"), json::parse(R"({"prompt_tokens":11,"total_tokens":11})"));
  EXPECT_EQ(usage.promptTokens, 11);
}

TEST(GoogleEmbeddings, GeminiBatchWithBase64Encoding) {
  Usage usage;
  auto r = geminiEmbeddingResponse(R"({"embeddings":[{"values":[1.0,-2.0]},{"values":[0.5]}]})",
                                   "text-embedding-004", 10, true, usage);
  ASSERT_TRUE(r);
  auto list = json::parse(*r).as_object();
  const auto& data = list.at("data").as_array();
  ASSERT_EQ(data.size(), 2u);
  // float32 little endian: 1.0 = 00 00 80 3f, -2.0 = 00 00 00 c0
  EXPECT_EQ(data[0].at("embedding"), "AACAPwAAAMA=");
  EXPECT_EQ(data[1].at("embedding"), "AAAAPw==");
  EXPECT_EQ(usage.promptTokens, 3);  // estimated: 10 characters
  auto bad = geminiEmbeddingResponse(R"({"embeddings":[{"values":["x"]}]})", "m", 1, false, usage);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().cls, ErrorClass::kBadUpstream);
}

}  // namespace
}  // namespace switchyard
