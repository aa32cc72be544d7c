// sagemaker/ (TGI's {inputs, parameters}) and sagemaker_chat/ (OpenAI's chat on /invocations):
// the request, its SigV4 signature for the sagemaker service, whole answers, and streams of
// PayloadPart events whose bytes split the container's lines anywhere.

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "api/openai/parse_request.hpp"
#include "config/config_test_util.hpp"
#include "config/loader.hpp"
#include "providers/bedrock/chunk_assembly.hpp"
#include "providers/common/sigv4.hpp"
#include "providers/openai/openai_stream.hpp"
#include "providers/sagemaker/sagemaker_adapter.hpp"
#include "support/openai_chunks.hpp"

namespace switchyard {
namespace {

namespace json = boost::json;

json::object parseObject(std::string_view s) { return json::parse(s).as_object(); }

Deployment endpoint(WireFormat format = WireFormat::kSageMaker,
                    std::string name = "jumpstart-dft-meta-textgeneration-llama-2-7b-f") {
  Deployment d;
  d.id = "jumpstart#0";
  d.provider = format == WireFormat::kSageMaker ? "sagemaker" : "sagemaker_chat";
  d.format = format;
  d.upstreamModel = std::move(name);
  d.apiBase = *parseUrl("https://runtime.sagemaker.us-west-2.amazonaws.com");
  d.providerParams = {{"aws_access_key_id", "AKIDEXAMPLE"},
                      {"aws_secret_access_key", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"}};
  return d;
}

SageMakerAdapter pinned(SageMakerAdapter::Payload payload) {
  return SageMakerAdapter(payload,
                          [] { return std::chrono::system_clock::from_time_t(1440938160); });
}

std::string header(const UpstreamRequest& r, std::string_view name) {
  for (const auto& [n, v] : r.headers) {
    if (n == name) return v;
  }
  return "<absent>";
}

std::string payloadPart(std::string_view bytes) {
  return encodeEventStreamMessage({{":event-type", "PayloadPart"},
                                   {":content-type", "application/octet-stream"},
                                   {":message-type", "event"}},
                                  bytes);
}

TEST(SageMakerRequest, TgiInputsAndParametersAsLiteLlmMakesThem) {
  auto out = sagemaker::toTgi(parseObject(R"({
      "messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"}],
      "temperature": 0, "top_p": 0.9, "max_tokens": 0, "stop": "\n", "n": 2})"),
                              "my-llama-2-7b-chat-endpoint", true, false);
  ASSERT_TRUE(out) << out.error().message;
  EXPECT_EQ(json::value(*out), json::parse(R"({
      "inputs": "<s>[INST] <<SYS>>\nBe brief.\n<</SYS>>\n [/INST]\n[INST] Hi [/INST]\n",
      "parameters": {"details": true, "temperature": 0.01, "top_p": 0.9, "max_new_tokens": 1,
                     "best_of": 2, "do_sample": true, "stop": ["\n"]},
      "stream": true})"))
      << json::serialize(*out);
  // A model with no known template: the contents joined, LiteLLM's default.
  auto plain = sagemaker::promptOf(
      parseObject(
          R"({"messages":[{"role":"user","content":"Hello"},{"role":"user","content":"there"}]})"),
      "falcon-7b");
  ASSERT_TRUE(plain);
  EXPECT_EQ(*plain, "Hello there");
  auto tools = parseObject(R"({"messages":[{"role":"user","content":"hi"}],
      "tools":[{"type":"function","function":{"name":"f"}}]})");
  EXPECT_FALSE(sagemaker::toTgi(tools, "m", false, false));
  EXPECT_TRUE(sagemaker::toTgi(tools, "m", false, true));
}

TEST(SageMakerAdapter, InvocationsUrlsAndTheSigV4SignatureForSageMaker) {
  const auto adapter = pinned(SageMakerAdapter::Payload::kTgi);
  Deployment d = endpoint();
  d.providerParams["model_id"] = "llama-component-1";
  auto req = parseOpenAiRequest(
      Endpoint::kChatCompletions,
      R"({"model":"jumpstart","messages":[{"role":"user","content":"Hi"}],"stream":true})");
  ASSERT_TRUE(req);
  auto built = adapter.buildRequest(*req, d);
  ASSERT_TRUE(built) << built.error().message;
  EXPECT_EQ(
      built->target,
      "/endpoints/jumpstart-dft-meta-textgeneration-llama-2-7b-f/invocations-response-stream");
  EXPECT_EQ(header(*built, "X-Amzn-SageMaker-Inference-Component"), "llama-component-1");
  ASSERT_TRUE(adapter.sign(d, *built));
  sigv4::Request expected;
  expected.method = "POST";
  expected.path = built->target;
  const std::string hash = sigv4::sha256Hex(built->body);
  expected.payloadHash = hash;
  expected.headers = {{"host", "runtime.sagemaker.us-west-2.amazonaws.com"},
                      {"x-amz-content-sha256", hash},
                      {"x-amz-date", "20150830T123600Z"}};
  const auto s =
      sigv4::sign(expected, {"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", ""},
                  "us-west-2", "sagemaker", "20150830T123600Z");
  EXPECT_EQ(header(*built, "Authorization"), s.authorization);

  Deployment unsigned_ = endpoint();
  unsigned_.providerParams.clear();
  const Error missing = adapter.sign(unsigned_, *built).error();
  EXPECT_EQ(missing.cls, ErrorClass::kUnauthorized);
  EXPECT_NE(missing.message.find("AWS_ACCESS_KEY_ID"), std::string::npos);

  // Embeddings go to the same /invocations; other endpoints are refused.
  auto embeddings = parseOpenAiRequest(Endpoint::kEmbeddings, R"({"model":"e","input":"x"})");
  ASSERT_TRUE(embeddings);
  auto embedded = adapter.buildRequest(*embeddings, d);
  ASSERT_TRUE(embedded);
  EXPECT_EQ(embedded->target,
            "/endpoints/jumpstart-dft-meta-textgeneration-llama-2-7b-f/invocations");
  EXPECT_EQ(embedded->body, R"({"inputs":["x"]})");
  auto completions = parseOpenAiRequest(Endpoint::kCompletions, R"({"model":"e","prompt":"x"})");
  ASSERT_TRUE(completions);
  EXPECT_FALSE(adapter.buildRequest(*completions, d));
}

TEST(SageMakerAdapter, ChatEndpointsGetOpenAisBodyWithoutAKey) {
  const auto adapter = pinned(SageMakerAdapter::Payload::kMessages);
  Deployment d = endpoint(WireFormat::kSageMakerChat, "tgi-messages");
  d.apiKey = "not-sent";
  auto req = parseOpenAiRequest(Endpoint::kChatCompletions,
                                R"({"model":"chat","messages":[{"role":"user","content":"Hi"}]})");
  ASSERT_TRUE(req);
  auto built = adapter.buildRequest(*req, d);
  ASSERT_TRUE(built) << built.error().message;
  EXPECT_EQ(built->target, "/endpoints/tgi-messages/invocations");
  EXPECT_EQ(header(*built, "Authorization"), "<absent>");
  EXPECT_EQ(json::parse(built->body).at("model"), json::value("tgi-messages"));
}

TEST(SageMakerConfig, RegionGivesTheHostAndAwsVariablesTheKeys) {
  auto loaded = loadConfigText(
      "model_list:\n"
      "  - model_name: jumpstart\n"
      "    litellm_params: {model: sagemaker/my-endpoint}\n",
      testing::mapEnvironment({{"AWS_REGION", "eu-west-1"},
                               {"AWS_ACCESS_KEY_ID", "AKID"},
                               {"AWS_SECRET_ACCESS_KEY", "secret"},
                               {"AWS_BEARER_TOKEN_BEDROCK", "bedrock-only"}}),
      "test");
  ASSERT_TRUE(loaded.ok()) << testing::allDiagnostics(loaded);
  const auto& d = *loaded.snapshot->deployments.front();
  EXPECT_EQ(d.format, WireFormat::kSageMaker);
  EXPECT_EQ(d.apiBase.host, "runtime.sagemaker.eu-west-1.amazonaws.com");
  EXPECT_EQ(d.providerParams.at("aws_access_key_id"), "AKID");
  EXPECT_EQ(d.apiKey, "") << "Bedrock's API key is not SageMaker's";
}

TEST(SageMakerResponse, TgiAnswerWithDetailsAndCountedPrompt) {
  auto req = parseOpenAiRequest(
      Endpoint::kChatCompletions,
      R"({"model":"falcon-7b","messages":[{"role":"user","content":"Say hello"}]})");
  ASSERT_TRUE(req);
  Usage usage;
  auto out = sagemaker::fromTgi(
      R"([{"generated_text":"Say hello Hello!","details":{"finish_reason":"length","generated_tokens":3}}])",
      *req, usage);
  ASSERT_TRUE(out) << out.error().message;
  const auto answer = parseObject(*out);
  const auto& choice = answer.at("choices").as_array()[0];
  EXPECT_EQ(choice.at("message").at("content"), json::value(" Hello!"))
      << "the repeated prompt is cut";
  EXPECT_EQ(choice.at("finish_reason"), json::value("length"));
  EXPECT_EQ(usage.completionTokens, 3);
  EXPECT_EQ(usage.promptTokens, 2) << "cl100k_base: 'Say', ' hello'";

  Usage jumpstart;
  auto generation = sagemaker::fromTgi(R"({"generation":"Hi."})", *req, jumpstart);
  ASSERT_TRUE(generation);
  EXPECT_EQ(parseObject(*generation).at("choices").as_array()[0].at("finish_reason"),
            json::value("stop"));
  EXPECT_GT(jumpstart.completionTokens, 0);
  EXPECT_FALSE(sagemaker::fromTgi(R"([{"text":"x"}])", *req, jumpstart));
}

TEST(SageMakerEmbeddings, InputsAsLiteLlmSendsThemAndEveryAnswerShape) {
  auto req = parseOpenAiRequest(Endpoint::kEmbeddings,
                                R"({"model":"embedder","input":["Say hello","x"]})");
  ASSERT_TRUE(req);
  auto body = sagemaker::toEmbeddingRequest(req->body());
  ASSERT_TRUE(body);
  EXPECT_EQ(*body, parseObject(R"({"inputs":["Say hello","x"]})"));
  for (const auto* answer : {R"([[0.5,1],[2,3]])", R"({"embedding":[[0.5,1],[2,3]]})"}) {
    Usage usage;
    auto out = sagemaker::fromEmbeddingAnswer(answer, *req, usage);
    ASSERT_TRUE(out) << answer << ": " << out.error().message;
    const auto list = parseObject(*out);
    EXPECT_EQ(list.at("object"), json::value("list"));
    EXPECT_EQ(list.at("data").as_array()[1].at("embedding"), json::parse("[2.0,3.0]")) << answer;
    EXPECT_EQ(list.at("data").as_array()[1].at("index"), json::value(1));
    EXPECT_EQ(usage.promptTokens, 3) << "cl100k_base: 'Say', ' hello', 'x'";
  }
  // One input answered with its vector alone.
  auto one = parseOpenAiRequest(Endpoint::kEmbeddings, R"({"model":"embedder","input":"x"})");
  Usage usage;
  auto single = sagemaker::fromEmbeddingAnswer("[0.25,0.75]", *one, usage);
  ASSERT_TRUE(single);
  EXPECT_EQ(parseObject(*single).at("data").as_array().size(), 1u);
  // What is not an answer, or answers another number of inputs, is the upstream's fault.
  for (const auto* bad : {R"({"vectors":[]})", R"([["a"]])", "[[1],[2],[3]]", "not json"}) {
    auto r = sagemaker::fromEmbeddingAnswer(bad, *req, usage);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().status, 502) << bad;
  }
  auto tokens = parseOpenAiRequest(Endpoint::kEmbeddings, R"({"model":"e","input":[[1,2]]})");
  ASSERT_TRUE(tokens);
  auto refused = sagemaker::toEmbeddingRequest(tokens->body());
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().param, "input");
}

// TGI's SSE inside PayloadParts, each part cut in the middle of a line.
std::string tgiStream() {
  const std::string events =
      "data:{\"index\":0,\"token\":{\"id\":1,\"text\":\"Hel\",\"special\":false},"
      "\"generated_text\":null,\"details\":null}\n\n"
      "data:{\"index\":1,\"token\":{\"id\":2,\"text\":\"lo\",\"special\":false},"
      "\"generated_text\":null,\"details\":null}\n\n"
      "data:{\"index\":2,\"token\":{\"id\":3,\"text\":\"</s>\",\"special\":true},"
      "\"generated_text\":\"Hello\",\"details\":{\"finish_reason\":\"eos_token\","
      "\"generated_tokens\":3}}\n\n";
  std::string wire;
  for (size_t at = 0; at < events.size(); at += 37) wire += payloadPart(events.substr(at, 37));
  return wire;
}

TEST(SageMakerStream, TgiTokensOutOfPayloadPartsSplitAnywhere) {
  const std::string wire = tgiStream();
  for (size_t cut = 0; cut <= wire.size(); cut += 7) {
    testing::OpenAiChunks<SageMakerStreamDecoder> t(
        true, std::make_unique<TgiStreamDecoder>("jumpstart", "Say hello"));
    std::string out;
    Usage usage;
    ASSERT_TRUE(t.onBytes(std::string_view(wire).substr(0, cut), out, usage));
    ASSERT_TRUE(t.onBytes(std::string_view(wire).substr(cut), out, usage));
    ASSERT_TRUE(t.finished()) << cut;
    const auto seen = testing::assemble(out);
    EXPECT_EQ(seen.content, "Hello") << "special tokens are not text";
    ASSERT_EQ(seen.finishReasons.size(), 1u);
    EXPECT_EQ(seen.finishReasons[0], "stop");
    EXPECT_EQ(usage.completionTokens, 3);
    EXPECT_EQ(usage.promptTokens, 2);
  }
}

TEST(SageMakerStream, ChatChunksPassThroughAndExceptionsFail) {
  const std::string sse =
      "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"tgi\",\"choices\":"
      "[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Hi\"},\"finish_reason\":null}]"
      "}"
      "\n\n"
      "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"tgi\",\"choices\":"
      "[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":4,"
      "\"completion_tokens\":1,\"total_tokens\":5}}\n\n"
      "data: [DONE]\n\n";
  const std::string wire = payloadPart(sse.substr(0, 50)) + payloadPart(sse.substr(50));
  SageMakerStreamPassThrough pass(std::make_unique<OpenAiStreamPassThrough>(true));
  std::string out;
  Usage usage;
  ASSERT_TRUE(pass.onBytes(wire, out, usage));
  EXPECT_TRUE(pass.finished());
  EXPECT_EQ(out, sse) << "the chunks go out as the container wrote them";
  EXPECT_EQ(usage.totalTokens, 5);

  const std::string exception =
      encodeEventStreamMessage({{":exception-type", "ModelStreamError"},
                                {":content-type", "application/json"},
                                {":message-type", "exception"}},
                               R"({"Message":"Your model failed","ErrorCode":"500"})");
  testing::OpenAiChunks<SageMakerStreamDecoder> t(false, std::make_unique<OpenAiStreamDecoder>());
  auto failed = t.onBytes(exception, out, usage);
  ASSERT_FALSE(failed);
  EXPECT_NE(failed.error().message.find("ModelStreamError"), std::string::npos);
}

}  // namespace
}  // namespace switchyard
