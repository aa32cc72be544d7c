// The errors translators raise and the status clients see for an upstream error.

#include "providers/common/errors.hpp"

#include <gtest/gtest.h>

namespace switchyard::common {
namespace {

TEST(GatewayStatus, ClientErrorsPassThroughServerErrorsBecome502) {
  for (int s : {400, 401, 403, 404, 408, 413, 422, 429, 499}) EXPECT_EQ(gatewayStatus(s), s);
  for (int s : {500, 502, 504, 599, 0, 200, 302}) EXPECT_EQ(gatewayStatus(s), 502) << s;
}

TEST(GatewayStatus, OverloadedStays503) {
  EXPECT_EQ(gatewayStatus(503), 503);
  EXPECT_EQ(gatewayStatus(529), 503);  // Anthropic's "overloaded"
}

TEST(FinishUpstreamError, SetsMessageAndRetryAfter) {
  Error e;
  finishUpstreamError(e, 429, "slow down", "7");
  EXPECT_EQ(e.message, "Upstream returned HTTP 429: slow down");
  EXPECT_EQ(e.retryAfterSeconds, 7);
  for (std::string_view bad : {"", "0", "-3", "soon", "Wed, 21 Oct 2015 07:28:00 GMT"}) {
    Error f;
    finishUpstreamError(f, 503, "x", bad);
    EXPECT_EQ(f.retryAfterSeconds, Error{}.retryAfterSeconds) << bad;
  }
}

TEST(ParseObjectBody, AcceptsObjectsOnly) {
  auto ok = parseObjectBody(R"({"a":1})");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->at("a"), 1);
  for (std::string_view bad : {"", "[1]", "\"s\"", "{", "<html>"}) {
    auto r = parseObjectBody(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().cls, ErrorClass::kBadUpstream);
    EXPECT_EQ(r.error().code, "bad_upstream_response");
  }
}

TEST(RequestErrors, NameTheParameter) {
  const Error bad = badRequest("nope", "messages");
  EXPECT_EQ(bad.cls, ErrorClass::kBadRequest);
  EXPECT_EQ(bad.param, "messages");
  EXPECT_EQ(bad.code, "invalid_request_error");
  const Error unsupported = unsupportedParam("Bedrock", "logprobs");
  EXPECT_EQ(unsupported.cls, ErrorClass::kBadRequest);
  EXPECT_EQ(unsupported.param, "logprobs");
  EXPECT_EQ(unsupported.code, "unsupported_parameter");
  EXPECT_NE(unsupported.message.find("Bedrock does not support the parameter 'logprobs'"),
            std::string::npos);
}

}  // namespace
}  // namespace switchyard::common
