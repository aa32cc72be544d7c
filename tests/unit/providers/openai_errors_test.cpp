#include "providers/openai/openai_errors.hpp"

#include <gtest/gtest.h>

#include "support/fixtures.hpp"

namespace switchyard {
namespace {

TEST(ClassifyOpenAiError, KeepsTheRecordedMessageAndParam) {
  const auto body =
      testing::readFixture("openai-compatible/reasoning-model-temperature-error.json");
  Error e = classifyOpenAiError(400, body, "");
  EXPECT_EQ(e.cls, ErrorClass::kBadRequest);
  EXPECT_EQ(e.status, 400);
  EXPECT_EQ(e.param, "temperature");
  EXPECT_NE(e.message.find("Unsupported parameter: 'temperature'"), std::string::npos);
  EXPECT_FALSE(e.retryable());
}

TEST(ClassifyOpenAiError, RateLimitKeepsRetryAfter) {
  Error e = classifyOpenAiError(
      429,
      R"({"error":{"message":"Rate limit reached","type":"requests","code":"rate_limit_exceeded"}})",
      "7");
  EXPECT_EQ(e.cls, ErrorClass::kRateLimited);
  EXPECT_EQ(e.status, 429);
  EXPECT_EQ(e.retryAfterSeconds, 7);
  EXPECT_EQ(e.code, "rate_limit_exceeded");
  EXPECT_TRUE(e.retryable());
}

TEST(ClassifyOpenAiError, ContextWindowAndContentPolicyAreRecognised) {
  Error ctx = classifyOpenAiError(
      400,
      R"({"error":{"message":"This model's maximum context length is 8192 tokens","code":"context_length_exceeded"}})",
      "");
  EXPECT_EQ(ctx.cls, ErrorClass::kContextWindow);
  Error policy = classifyOpenAiError(
      400, R"({"error":{"message":"flagged","code":"content_policy_violation"}})", "");
  EXPECT_EQ(policy.cls, ErrorClass::kContentPolicy);
}

TEST(ClassifyOpenAiError, ServerErrorsBecome502AndOverload503) {
  Error e500 = classifyOpenAiError(500, "", "");
  EXPECT_EQ(e500.cls, ErrorClass::kUpstreamServer);
  EXPECT_EQ(e500.status, 502);
  EXPECT_NE(e500.message.find("(empty body)"), std::string::npos);
  Error e503 = classifyOpenAiError(503, "upstream connect error", "");
  EXPECT_EQ(e503.status, 503);
  EXPECT_NE(e503.message.find("upstream connect error"), std::string::npos);
  EXPECT_TRUE(e503.retryable());
}

TEST(ClassifyOpenAiError, UpstreamAuthFailureIsNotRetried) {
  Error e = classifyOpenAiError(
      401, R"({"error":{"message":"Incorrect API key provided","code":"invalid_api_key"}})", "");
  EXPECT_EQ(e.cls, ErrorClass::kUnauthorized);
  EXPECT_EQ(e.status, 401);
  EXPECT_FALSE(e.retryable());
}

TEST(ErrorBodies, OpenAiAndAnthropicShapes) {
  Error e = Error::make(ErrorClass::kNotFound, "no such model", "model", "model_not_found");
  EXPECT_EQ(
      e.toOpenAiJson(),
      R"({"error":{"message":"no such model","type":"invalid_request_error","param":"model","code":"model_not_found"}})");
  EXPECT_EQ(e.toAnthropicJson(),
            R"({"type":"error","error":{"type":"not_found_error","message":"no such model"}})");
}

}  // namespace
}  // namespace switchyard
