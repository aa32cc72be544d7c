// OpenAI chat/embedding bodies → Google generateContent / embedding bodies, field by field, and
// the URLs and credentials of the Gemini and Vertex adapters.

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "providers/gemini/gemini_adapter.hpp"
#include "providers/gemini/gemini_translate.hpp"
#include "providers/vertex/vertex_adapter.hpp"

namespace switchyard {
namespace {

namespace json = boost::json;

json::object parseObj(std::string_view text) { return json::parse(text).as_object(); }

json::object translate(std::string_view openAiBody, bool dropParams = false) {
  auto r = geminiChatRequest(parseObj(openAiBody), dropParams);
  EXPECT_TRUE(r) << (r ? "" : r.error().message);
  return r ? *r : json::object();
}

Error refused(std::string_view openAiBody, bool dropParams = false) {
  auto r = geminiChatRequest(parseObj(openAiBody), dropParams);
  EXPECT_FALSE(r);
  return r ? Error{} : r.error();
}

TEST(GeminiRequest, SystemUserAssistantBecomeSystemInstructionAndContents) {
  auto out = translate(R"({"model":"m","messages":[
      {"role":"system","content":"Be terse."},
      {"role":"developer","content":[{"type":"text","text":"Answer in French."}]},
      {"role":"user","content":"Hi"},
      {"role":"assistant","content":"Bonjour"},
      {"role":"user","content":[{"type":"text","text":"Capital?"},{"type":"text","text":"Of Italy"}]}]})");
  EXPECT_EQ(out["systemInstruction"],
            json::parse(R"({"parts":[{"text":"Be terse."},{"text":"Answer in French."}]})"));
  EXPECT_EQ(out["contents"], json::parse(R"([
      {"role":"user","parts":[{"text":"Hi"}]},
      {"role":"model","parts":[{"text":"Bonjour"}]},
      {"role":"user","parts":[{"text":"Capital?"},{"text":"Of Italy"}]}])"));
  EXPECT_FALSE(out.contains("generationConfig"));
  EXPECT_FALSE(out.contains("model"));
}

TEST(GeminiRequest, LoneSystemPromptBecomesTheUserTurn) {
  auto out = translate(R"({"messages":[{"role":"system","content":"Say hi"}]})");
  EXPECT_FALSE(out.contains("systemInstruction"));
  EXPECT_EQ(out["contents"], json::parse(R"([{"role":"user","parts":[{"text":"Say hi"}]}])"));
}

TEST(GeminiRequest, ImagesBecomeInlineDataOrFileData) {
  auto out = translate(R"({"messages":[{"role":"user","content":[
      {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}},
      {"type":"image_url","image_url":{"url":"https://example.com/cat.webp?size=2"}},
      {"type":"image_url","image_url":"gs://bucket/doc.pdf"},
      {"type":"image_url","image_url":{"url":"https://example.com/photo"}}]}]})");
  EXPECT_EQ(out["contents"].as_array()[0].as_object()["parts"], json::parse(R"([
      {"inlineData":{"mimeType":"image/png","data":"iVBORw0KGgo="}},
      {"fileData":{"mimeType":"image/webp","fileUri":"https://example.com/cat.webp?size=2"}},
      {"fileData":{"mimeType":"application/pdf","fileUri":"gs://bucket/doc.pdf"}},
      {"fileData":{"mimeType":"image/jpeg","fileUri":"https://example.com/photo"}}])"));
}

TEST(GeminiRequest, MalformedDataUrlAndUnknownPartTypeAre400) {
  auto e = refused(R"({"messages":[{"role":"user","content":[
      {"type":"image_url","image_url":{"url":"data:image/png,notbase64"}}]}]})");
  EXPECT_EQ(e.cls, ErrorClass::kBadRequest);
  EXPECT_EQ(e.param, "messages[0].content[0].image_url.url");
  e = refused(R"({"messages":[{"role":"user","content":[{"type":"video_frame"}]}]})");
  EXPECT_EQ(e.param, "messages[0].content[0].type");
}

TEST(GeminiRequest, ToolCallsAndResultsBecomeFunctionCallAndFunctionResponse) {
  auto out = translate(R"({"messages":[
      {"role":"user","content":"Weather in Paris and Rome?"},
      {"role":"assistant","content":null,"tool_calls":[
        {"id":"call_a","type":"function","function":{"name":"weather","arguments":"{\"city\":\"Paris\"}"}},
        {"id":"call_b","type":"function","function":{"name":"forecast","arguments":""}}]},
      {"role":"tool","tool_call_id":"call_a","content":"{\"temp\":21}"},
      {"role":"tool","tool_call_id":"call_b","content":"sunny"},
      {"role":"user","content":"Thanks"}]})");
  EXPECT_EQ(out["contents"], json::parse(R"([
      {"role":"user","parts":[{"text":"Weather in Paris and Rome?"}]},
      {"role":"model","parts":[
        {"functionCall":{"name":"weather","args":{"city":"Paris"}}},
        {"functionCall":{"name":"forecast","args":{}}}]},
      {"role":"user","parts":[
        {"functionResponse":{"name":"weather","response":{"temp":21}}},
        {"functionResponse":{"name":"forecast","response":{"content":"sunny"}}},
        {"text":"Thanks"}]}])"));
}

TEST(GeminiRequest, ThoughtSignaturesGoBackOnTheirCallsAndGemini3GetsAStandIn) {
  constexpr std::string_view kBody = R"({"messages":[
      {"role":"user","content":"Weather in Paris and Rome?"},
      {"role":"assistant","content":null,"tool_calls":[
        {"id":"call_a","type":"function","function":{"name":"weather","arguments":"{}"},
         "provider_specific_fields":{"thought_signature":"sig-a"}},
        {"id":"call_b","type":"function","function":{"name":"weather","arguments":"{}"}}]},
      {"role":"tool","tool_call_id":"call_a","content":"1"},
      {"role":"tool","tool_call_id":"call_b","content":"2"},
      {"role":"assistant","content":null,"tool_calls":[
        {"id":"call_c__thought__sig-c","type":"function","function":{"name":"weather","arguments":"{}"}}]},
      {"role":"tool","tool_call_id":"call_c__thought__sig-c","content":"3"},
      {"role":"assistant","content":null,"tool_calls":[
        {"id":"call_d","type":"function","function":{"name":"weather","arguments":"{}"}}]},
      {"role":"tool","tool_call_id":"call_d","content":"4"}]})";
  auto signatures = [](const json::object& out) {
    std::vector<std::string> s;
    for (const auto& c : out.at("contents").as_array()) {
      if (c.at("role") != "model") continue;
      for (const auto& p : c.at("parts").as_array()) {
        const auto* sig = p.as_object().if_contains("thoughtSignature");
        s.push_back(sig ? std::string(sig->as_string()) : "-");
      }
    }
    return s;
  };
  auto gemini3 = geminiChatRequest(parseObj(kBody), false, "gemini-3-pro-preview");
  ASSERT_TRUE(gemini3);
  EXPECT_EQ(signatures(*gemini3),
            (std::vector<std::string>{"sig-a", "-", "sig-c", "skip_thought_signature_validator"}));
  auto gemini2 = geminiChatRequest(parseObj(kBody), false, "gemini-2.5-pro");
  ASSERT_TRUE(gemini2);
  EXPECT_EQ(signatures(*gemini2), (std::vector<std::string>{"sig-a", "-", "sig-c", "-"}));
}

TEST(GeminiRequest, ToolResultWithoutMatchingCallIs400) {
  auto e = refused(R"({"messages":[{"role":"tool","tool_call_id":"nope","content":"x"}]})");
  EXPECT_EQ(e.param, "messages[0].tool_call_id");
  e = refused(R"({"messages":[{"role":"assistant","tool_calls":[
      {"id":"c","type":"function","function":{"name":"f","arguments":"[1,2]"}}]}]})");
  EXPECT_EQ(e.param, "messages[0].tool_calls[0].function.arguments");
}

TEST(GeminiRequest, ToolsBecomeFunctionDeclarationsWithCleanedSchemas) {
  auto out = translate(R"({"messages":[{"role":"user","content":"x"}],
      "tools":[
        {"type":"function","function":{"name":"get_weather","description":"Weather","strict":true,
          "parameters":{"$schema":"http://json-schema.org/draft-07/schema#","type":"object",
            "additionalProperties":false,
            "properties":{
              "city":{"type":"string","description":"City"},
              "unit":{"type":["string","null"],"enum":["c","f"]},
              "additionalProperties":{"type":"string"},
              "days":{"type":"array","items":{"$ref":"#/$defs/day"}},
              "mode":{"const":"fast"},
              "alt":{"oneOf":[{"type":"integer"},{"type":"string"}]}},
            "required":["city"],
            "$defs":{"day":{"type":"object","additionalProperties":false,
                            "properties":{"n":{"type":"integer"}}}}}}},
        {"type":"function","function":{"name":"ping","parameters":{"type":"object","properties":{}}}},
        {"googleSearch":{}}],
      "tool_choice":"required"})");
  EXPECT_EQ(out["tools"], json::parse(R"([
      {"functionDeclarations":[
        {"name":"get_weather","description":"Weather",
         "parameters":{"type":"object",
           "properties":{
             "city":{"type":"string","description":"City"},
             "unit":{"type":"string","nullable":true,"enum":["c","f"]},
             "additionalProperties":{"type":"string"},
             "days":{"type":"array","items":{"type":"object","properties":{"n":{"type":"integer"}}}},
             "mode":{"enum":["fast"]},
             "alt":{"anyOf":[{"type":"integer"},{"type":"string"}]}},
           "required":["city"]}},
        {"name":"ping"}]},
      {"googleSearch":{}}])"));
  EXPECT_EQ(out["toolConfig"], json::parse(R"({"functionCallingConfig":{"mode":"ANY"}})"));
}

TEST(GeminiRequest, ToolChoiceModes) {
  const std::string base =
      R"({"messages":[{"role":"user","content":"x"}],"tools":[{"type":"function","function":{"name":"f"}}],"tool_choice":)";
  EXPECT_EQ(translate(base + R"("auto"})")["toolConfig"],
            json::parse(R"({"functionCallingConfig":{"mode":"AUTO"}})"));
  EXPECT_EQ(translate(base + R"("none"})")["toolConfig"],
            json::parse(R"({"functionCallingConfig":{"mode":"NONE"}})"));
  EXPECT_EQ(
      translate(base + R"({"type":"function","function":{"name":"f"}}})")["toolConfig"],
      json::parse(R"({"functionCallingConfig":{"mode":"ANY","allowedFunctionNames":["f"]}})"));
  EXPECT_EQ(refused(base + R"("sometimes"})").param, "tool_choice");
}

TEST(GeminiRequest, NonFunctionToolIsRefusedUnlessDropped) {
  const std::string body =
      R"({"messages":[{"role":"user","content":"x"}],"tools":[{"type":"web_search_preview"}]})";
  auto e = refused(body);
  EXPECT_EQ(e.param, "tools[0].type");
  EXPECT_EQ(e.code, "unsupported_parameter");
  EXPECT_FALSE(translate(body, /*dropParams=*/true).contains("tools"));
}

TEST(GeminiRequest, GenerationConfigFieldByField) {
  auto out = translate(R"({"messages":[{"role":"user","content":"x"}],
      "temperature":0.2,"top_p":0.9,"max_completion_tokens":300,"stop":"END","n":2,"seed":7,
      "presence_penalty":0.5,"frequency_penalty":-0.5,"user":"u1","parallel_tool_calls":true,
      "stream_options":{"include_usage":true},"logprobs":false,
      "response_format":{"type":"json_schema","json_schema":{"name":"p","strict":true,
        "schema":{"type":"object","additionalProperties":false,
                  "properties":{"name":{"type":"string"}},"required":["name"]}}}})");
  EXPECT_EQ(out["generationConfig"], json::parse(R"({
      "temperature":0.2,"topP":0.9,"maxOutputTokens":300,"stopSequences":["END"],
      "candidateCount":2,"seed":7,"presencePenalty":0.5,"frequencyPenalty":-0.5,
      "responseMimeType":"application/json",
      "responseSchema":{"type":"object","properties":{"name":{"type":"string"}},
                        "required":["name"]}})"));
  out = translate(R"({"messages":[{"role":"user","content":"x"}],"max_tokens":5,
      "stop":["a","b"],"response_format":{"type":"json_object"}})");
  EXPECT_EQ(out["generationConfig"], json::parse(R"({"maxOutputTokens":5,"stopSequences":["a","b"],
      "responseMimeType":"application/json"})"));
  EXPECT_EQ(refused(R"({"messages":[],"temperature":"hot"})").param, "temperature");
}

TEST(GeminiRequest, ReasoningEffortBecomesThinkingConfig) {
  auto budget = [](std::string_view effort) {
    return translate(R"({"messages":[{"role":"user","content":"x"}],"reasoning_effort":")" +
                     std::string(effort) + "\"}")["generationConfig"]
        .as_object()["thinkingConfig"];
  };
  EXPECT_EQ(budget("low"), json::parse(R"({"thinkingBudget":1024,"includeThoughts":true})"));
  EXPECT_EQ(budget("medium"), json::parse(R"({"thinkingBudget":2048,"includeThoughts":true})"));
  EXPECT_EQ(budget("high"), json::parse(R"({"thinkingBudget":4096,"includeThoughts":true})"));
  EXPECT_EQ(budget("none"), json::parse(R"({"thinkingBudget":0})"));
  EXPECT_EQ(refused(R"({"messages":[],"reasoning_effort":"max"})").param, "reasoning_effort");
}

TEST(GeminiRequest, UnsupportedParametersAre400UnlessDropParams) {
  for (const char* body :
       {R"({"messages":[{"role":"user","content":"x"}],"logit_bias":{"50256":-100}})",
        R"({"messages":[{"role":"user","content":"x"}],"logprobs":true})",
        R"({"messages":[{"role":"user","content":"x"}],"modalities":["text","audio"]})"}) {
    auto e = refused(body);
    EXPECT_EQ(e.cls, ErrorClass::kBadRequest) << body;
    EXPECT_EQ(e.status, 400);
    EXPECT_EQ(e.code, "unsupported_parameter");
    EXPECT_NE(e.message.find(e.param), std::string::npos) << e.message;
    EXPECT_TRUE(geminiChatRequest(parseObj(body), /*dropParams=*/true)) << body;
  }
  EXPECT_EQ(refused(R"({"messages":[{"role":"user","content":"x"}],"logit_bias":{"1":1}})").param,
            "logit_bias");
  translate(R"({"messages":[{"role":"user","content":"x"}],"modalities":["text"]})");
}

TEST(GeminiRequest, EmbeddingBodies) {
  auto gemini = geminiEmbeddingRequest(
      parseObj(R"({"model":"m","input":["a","b"],"dimensions":256})"), "text-embedding-004", false);
  ASSERT_TRUE(gemini);
  EXPECT_EQ(json::value(*gemini), json::parse(R"({"requests":[
      {"model":"models/text-embedding-004","content":{"parts":[{"text":"a"}]},"outputDimensionality":256},
      {"model":"models/text-embedding-004","content":{"parts":[{"text":"b"}]},"outputDimensionality":256}]})"));
  auto vertex = vertexEmbeddingRequest(parseObj(R"({"input":"hello","dimensions":64})"), false);
  ASSERT_TRUE(vertex);
  EXPECT_EQ(json::value(*vertex),
            json::parse(
                R"({"instances":[{"content":"hello"}],"parameters":{"outputDimensionality":64}})"));
  auto tokens = vertexEmbeddingRequest(parseObj(R"({"input":[[1,2,3]]})"), false);
  ASSERT_FALSE(tokens);
  EXPECT_EQ(tokens.error().param, "input");
}

Deployment geminiDeployment() {
  Deployment d;
  d.id = "g#0";
  d.format = WireFormat::kGemini;
  d.upstreamModel = "gemini-2.0-flash";
  d.apiBase = *parseUrl("https://generativelanguage.googleapis.com");
  d.apiKey = "AIza-test";
  return d;
}

ApiRequest chatRequest(bool stream) {
  ApiRequest req;
  req.endpoint = Endpoint::kChatCompletions;
  req.stream = stream;
  req.editBody() = parseObj(
      R"({"model":"gemini/gemini-2.0-flash","messages":[{"role":"user","content":"hi"}]})");
  return req;
}

std::string header(const UpstreamRequest& r, std::string_view name) {
  for (const auto& [n, v] : r.headers) {
    if (n == name) return v;
  }
  return {};
}

TEST(GeminiAdapter, UrlsAndKeyHeader) {
  GeminiAdapter adapter;
  auto d = geminiDeployment();
  auto req = chatRequest(false);
  auto out = adapter.buildRequest(req, d);
  ASSERT_TRUE(out);
  EXPECT_EQ(out->target, "/v1beta/models/gemini-2.0-flash:generateContent");
  EXPECT_EQ(header(*out, "x-goog-api-key"), "AIza-test");
  EXPECT_EQ(header(*out, "Authorization"), "");
  EXPECT_EQ(json::parse(out->body),
            json::parse(R"({"contents":[{"role":"user","parts":[{"text":"hi"}]}]})"));

  auto streamReq = chatRequest(true);
  d.apiBase = *parseUrl("http://127.0.0.1:9/v1beta");
  d.upstreamModel = "models/gemini-2.5-pro";
  out = adapter.buildRequest(streamReq, d);
  ASSERT_TRUE(out);
  EXPECT_EQ(out->target, "/v1beta/models/gemini-2.5-pro:streamGenerateContent?alt=sse");

  ApiRequest embed;
  embed.endpoint = Endpoint::kEmbeddings;
  embed.editBody() = parseObj(R"({"model":"e","input":"x"})");
  d.upstreamModel = "text-embedding-004";
  out = adapter.buildRequest(embed, d);
  ASSERT_TRUE(out);
  EXPECT_EQ(out->target, "/v1beta/models/text-embedding-004:batchEmbedContents");

  ApiRequest legacy;
  legacy.endpoint = Endpoint::kCompletions;
  EXPECT_FALSE(adapter.buildRequest(legacy, d));
}

TEST(VertexAdapter, ProjectLocationUrlsAndPredictForEmbeddings) {
  VertexAdapter adapter;
  Deployment d = geminiDeployment();
  d.format = WireFormat::kVertex;
  d.apiKey.clear();
  d.upstreamModel = "gemini-2.5-pro";
  d.apiBase = *parseUrl("https://europe-west4-aiplatform.googleapis.com");
  d.providerParams = {{"vertex_project", "my-proj"}, {"vertex_location", "europe-west4"}};
  auto req = chatRequest(true);
  auto out = adapter.buildRequest(req, d);
  ASSERT_TRUE(out);
  EXPECT_EQ(out->target,
            "/v1/projects/my-proj/locations/europe-west4/publishers/google/models/"
            "gemini-2.5-pro:streamGenerateContent?alt=sse");
  EXPECT_EQ(header(*out, "x-goog-api-key"), "");

  ApiRequest embed;
  embed.endpoint = Endpoint::kEmbeddings;
  embed.editBody() = parseObj(R"({"model":"e","input":["x"]})");
  d.upstreamModel = "text-embedding-005";
  out = adapter.buildRequest(embed, d);
  ASSERT_TRUE(out);
  EXPECT_EQ(out->target,
            "/v1/projects/my-proj/locations/europe-west4/publishers/google/models/"
            "text-embedding-005:predict");

  // A regional host that does not match the location is a configuration error.
  d.providerParams["vertex_location"] = "us-east5";
  auto mismatch = adapter.buildRequest(embed, d);
  ASSERT_FALSE(mismatch);
  EXPECT_NE(mismatch.error().message.find("https://us-east5-aiplatform.googleapis.com"),
            std::string::npos);
  EXPECT_EQ(vertexDefaultApiBase("global"), "https://aiplatform.googleapis.com");
  EXPECT_EQ(vertexDefaultApiBase("asia-northeast1"),
            "https://asia-northeast1-aiplatform.googleapis.com");
}

}  // namespace
}  // namespace switchyard
