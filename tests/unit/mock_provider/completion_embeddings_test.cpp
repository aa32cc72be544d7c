// Legacy completions and embeddings against the recorded OpenAI answers.
#include "tests/unit/mock_provider/mock_test_support.hpp"

#include "tools/mock-provider/embeddings.hpp"

#include <cmath>
#include <cstring>

namespace switchyard::mock::testing {
namespace {

TEST(MockProviderCompletion, NonStreamMatchesRecordedTextCompletion) {
  RunningMock mock;
  auto res = post(mock.port(), "/v1/completions",
                  R"({"model":"gpt-3.5-turbo-instruct","prompt":"Invent a holiday."})");
  ASSERT_EQ(res.status, 200u) << res.body;
  const auto answer = parseJson(res.body);
  expectSameShape(loadFixture("openai-completion-text.json"), answer);
  EXPECT_EQ(answer.at("object"), "text_completion");
  EXPECT_EQ(answer.at("model"), "gpt-3.5-turbo-instruct");
  EXPECT_EQ(answer.at("usage").at("completion_tokens"), 16);
}

TEST(MockProviderCompletion, StreamMatchesRecordedChunks) {
  RunningMock mock(withOptions([](MockOptions& o) { o.completionTokens = 5; }));
  const auto recorded = loadChunks("openai-completion-text.chunks.txt");
  ASSERT_GE(recorded.size(), 3u);
  auto res = post(mock.port(), "/v1/completions",
                  R"({"model":"gpt-3.5-turbo-instruct","prompt":["Say","it"],"stream":true,)"
                  R"("stream_options":{"include_usage":true}})");
  ASSERT_EQ(res.status, 200u);
  auto events = sseData(res.body);
  ASSERT_EQ(events.size(), 7u);  // 5 text chunks, usage, [DONE]
  EXPECT_EQ(events.back(), "[DONE]");
  for (size_t i = 0; i < 5; ++i) {
    const auto chunk = parseJson(events[i]);
    // The recording's last text chunk carries the finish_reason, the others null.
    expectSameShape(i == 4 ? recorded[recorded.size() - 2] : recorded.front(), chunk);
    const auto& finish = chunk.at("choices").at(0).at("finish_reason");
    if (i == 4) {
      EXPECT_EQ(finish, "stop");
    } else {
      EXPECT_TRUE(finish.is_null());
    }
  }
  const auto usage = parseJson(events[5]);
  expectSameShape(recorded.back(), usage);
  EXPECT_EQ(usage.at("usage").at("completion_tokens"), 5);
}

std::vector<float> decodeBase64Floats(std::string_view text) {
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  std::string bytes;
  uint32_t acc = 0;
  int bits = 0;
  for (char c : text) {
    if (c == '=') break;
    const int v = value(c);
    EXPECT_GE(v, 0) << "bad base64 character " << c;
    acc = (acc << 6) | uint32_t(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes.push_back(char((acc >> bits) & 0xFF));
    }
  }
  EXPECT_EQ(bytes.size() % 4, 0u);
  std::vector<float> out(bytes.size() / 4);
  for (size_t i = 0; i < out.size(); ++i) {
    uint32_t u = 0;
    for (int b = 3; b >= 0; --b) u = (u << 8) | uint8_t(bytes[i * 4 + size_t(b)]);
    std::memcpy(&out[i], &u, 4);
  }
  return out;
}

double norm(const std::vector<float>& v) {
  double sum = 0;
  for (float x : v) sum += double(x) * double(x);
  return std::sqrt(sum);
}

std::vector<float> floatsOf(const json::value& embedding) {
  std::vector<float> out;
  for (const auto& x : embedding.as_array()) out.push_back(float(x.as_double()));
  return out;
}

TEST(MockProviderEmbeddings, FloatAnswerMatchesRecordedEmbeddings) {
  RunningMock mock;
  auto res = post(mock.port(), "/v1/embeddings",
                  R"({"model":"text-embedding-3-small","input":["sunny day","rainy day"]})");
  ASSERT_EQ(res.status, 200u) << res.body;
  const auto answer = parseJson(res.body);
  ShapeRules rules;
  rules.numbersAlike = true;
  expectSameShape(loadFixture("openai-embedding.json"), answer, rules);
  const auto& data = answer.at("data").as_array();
  ASSERT_EQ(data.size(), 2u);
  EXPECT_EQ(data[1].at("index"), 1);
  const auto first = floatsOf(data[0].at("embedding"));
  const auto second = floatsOf(data[1].at("embedding"));
  EXPECT_EQ(first.size(), 16u);
  EXPECT_NEAR(norm(first), 1.0, 1e-5);
  EXPECT_NEAR(norm(second), 1.0, 1e-5);
  EXPECT_NE(first, second);
  EXPECT_GE(answer.at("usage").at("prompt_tokens").as_int64(), 2);
  EXPECT_EQ(answer.at("usage").at("prompt_tokens"), answer.at("usage").at("total_tokens"));
}

TEST(MockProviderEmbeddings, Base64DecodesToTheSameUnitVectors) {
  RunningMock mock;
  auto floats =
      post(mock.port(), "/v1/embeddings", R"({"model":"m","input":"hello world","dimensions":64})");
  auto b64 = post(mock.port(), "/v1/embeddings",
                  R"({"model":"m","input":"hello world","dimensions":64,)"
                  R"("encoding_format":"base64"})");
  ASSERT_EQ(b64.status, 200u) << b64.body;
  const json::value answer = parseJson(b64.body);
  const auto& encoded = answer.at("data").at(0).at("embedding");
  ASSERT_TRUE(encoded.is_string());
  const auto decoded = decodeBase64Floats(encoded.as_string());
  ASSERT_EQ(decoded.size(), 64u);
  EXPECT_NEAR(norm(decoded), 1.0, 1e-5);
  EXPECT_EQ(decoded, floatsOf(parseJson(floats.body).at("data").at(0).at("embedding")));
  EXPECT_EQ(decoded, embeddingFor("hello world", 64));
}

TEST(MockProviderEmbeddings, TokenArraysAndAzureForm) {
  RunningMock mock;
  auto res = post(mock.port(), "/openai/deployments/emb/embeddings?api-version=2024-10-21",
                  R"({"input":[[1,2,3],[4,5]]})");
  ASSERT_EQ(res.status, 200u) << res.body;
  const auto answer = parseJson(res.body);
  EXPECT_EQ(answer.at("model"), "emb");
  EXPECT_EQ(answer.at("data").as_array().size(), 2u);
  EXPECT_EQ(answer.at("usage").at("prompt_tokens"), 5);
  res = post(mock.port(), "/v1/embeddings", R"({"model":"m","input":[7,8,9]})");
  EXPECT_EQ(parseJson(res.body).at("data").as_array().size(), 1u);
}

TEST(MockProviderEmbeddings, InvalidInputsAreRejected) {
  RunningMock mock;
  for (const std::string body :
       {R"({"model":"m"})", R"({"model":"m","input":[]})", R"({"model":"m","input":""})",
        R"({"model":"m","input":[1.5]})", R"({"model":"m","input":"x","dimensions":0})",
        R"({"model":"m","input":"x","encoding_format":"hex"})", R"({"input":"x"})"}) {
    auto res = post(mock.port(), "/v1/embeddings", body);
    EXPECT_EQ(res.status, 400u) << body;
    EXPECT_EQ(parseJson(res.body).at("error").at("type"), "invalid_request_error");
  }
}

}  // namespace
}  // namespace switchyard::mock::testing
