// The request side: which guardrails run, block bodies per client format, masking with and
// without restoring, every endpoint's texts.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "api/anthropic/messages_request.hpp"
#include "api/openai/parse_request.hpp"
#include "stages/guardrails/guardrail_run.hpp"
#include "stages/guardrails/guardrail_stage.hpp"
#include "stages/guardrails/guardrail_test_util.hpp"

namespace switchyard {
namespace {

namespace json = boost::json;

const char* kConfig = R"(
guardrails:
  - guardrail_name: content-filter-pre
    litellm_params:
      guardrail: litellm_content_filter
      mode: pre_call
      patterns:
        - pattern_type: prebuilt
          pattern_name: us_ssn
          action: BLOCK
        - pattern_type: prebuilt
          pattern_name: email
          action: MASK
      blocked_words:
        - keyword: confidential
          action: BLOCK
          description: Sensitive internal information
  - guardrail_name: pii-restore
    litellm_params:
      guardrail: litellm_content_filter
      mode: [pre_call]
      output_parse_pii: true
      patterns:
        - pattern_type: prebuilt
          pattern_name: email
          action: MASK
  - guardrail_name: always
    litellm_params:
      guardrail: litellm_content_filter
      mode: logging_only
      default_on: true
      patterns:
        - pattern_type: prebuilt
          pattern_name: ipv4
          action: BLOCK
  - guardrail_name: lakera
    litellm_params:
      guardrail: lakera_v2
      mode: pre_call
)";

struct Guarded {
  std::shared_ptr<Snapshot> snap = testing::guardedSnapshot(kConfig);
  RequestContext ctx;
  Outcome outcome;

  Guarded(Endpoint endpoint, const std::string& body,
          InboundFormat format = InboundFormat::kOpenAi) {
    ctx.snapshot = snap;
    auto r = format == InboundFormat::kAnthropic
                 ? parseAnthropicRequest(body, json::storage_ptr(&ctx.arena))
                 : parseOpenAiRequest(endpoint, body, json::storage_ptr(&ctx.arena));
    EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().message);
    if (r) ctx.request = std::move(*r);
    GuardrailStage stage;
    outcome = stage.pre(ctx);
  }
  std::string sent() const { return json::serialize(ctx.request.body()); }
};

std::string chat(const std::string& text, const std::string& guardrails) {
  return R"({"model":"m","messages":[{"role":"user","content":)" +
         json::serialize(json::value(text)) + "}],\"guardrails\":" + guardrails + "}";
}

TEST(GuardrailStage, BlockAnswersLiteLlmsBody) {
  Guarded r(Endpoint::kChatCompletions, chat("My SSN is 123-45-6789", R"(["content-filter-pre"])"));
  ASSERT_EQ(r.outcome.kind, Outcome::Kind::kRespond);
  EXPECT_EQ(r.outcome.status, 400);
  auto body = json::parse(r.outcome.body);
  const auto& message = body.at("error").at("message");
  EXPECT_EQ(message.at("error"), "Content blocked: us_ssn pattern detected");
  EXPECT_EQ(message.at("pattern"), "us_ssn");
  EXPECT_EQ(message.at("guardrail"), "content-filter-pre");
  EXPECT_EQ(message.at("category"), "pii");
  EXPECT_EQ(body.at("error").at("code"), "400");
  EXPECT_EQ(r.outcome.body.find("6789"), std::string::npos);
  EXPECT_EQ(r.ctx.guardrails->summary(),
            "always:input:passed;content-filter-pre:input:blocked:us_ssn");
}

TEST(GuardrailStage, KeywordBlockNamesTheKeyword) {
  Guarded r(Endpoint::kChatCompletions, chat("This is CONFIDENTIAL", R"(["content-filter-pre"])"));
  ASSERT_EQ(r.outcome.kind, Outcome::Kind::kRespond);
  EXPECT_EQ(json::parse(r.outcome.body).at("error").at("message").at("error"),
            "Content blocked: keyword 'confidential' detected (Sensitive internal information)");
}

TEST(GuardrailStage, AnthropicClientsGetTheirErrorShape) {
  Guarded r(Endpoint::kChatCompletions,
            R"({"model":"m","max_tokens":10,"metadata":{"guardrails":["content-filter-pre"]},)"
            R"("messages":[{"role":"user","content":[{"type":"text","text":"ssn 123-45-6789"}]}]})",
            InboundFormat::kAnthropic);
  ASSERT_EQ(r.outcome.kind, Outcome::Kind::kRespond);
  auto body = json::parse(r.outcome.body);
  EXPECT_EQ(body.at("type"), "error");
  EXPECT_EQ(body.at("error").at("type"), "invalid_request_error");
  EXPECT_EQ(body.at("error").at("message"),
            "Content blocked: us_ssn pattern detected (guardrail: content-filter-pre)");
}

TEST(GuardrailStage, MaskWritesLiteLlmsTagAndKeepsBodiesWithoutFindings) {
  Guarded r(Endpoint::kChatCompletions,
            chat("Contact me at john@example.com", R"(["content-filter-pre"])"));
  EXPECT_EQ(r.outcome.kind, Outcome::Kind::kContinue);
  EXPECT_NE(r.sent().find("Contact me at [EMAIL_REDACTED]"), std::string::npos);
  EXPECT_EQ(r.sent().find("guardrails"), std::string::npos);  // the gateway's, not the model's
  EXPECT_TRUE(r.ctx.guardrails->placeholders.empty());

  const std::string plain = R"({"model":"m","messages":[{"role":"user","content":"hello"}]})";
  Guarded clean(Endpoint::kChatCompletions, plain);
  EXPECT_EQ(clean.outcome.kind, Outcome::Kind::kContinue);
  EXPECT_EQ(clean.ctx.request.rawBody, plain);  // still the client's bytes: the fast path stays
}

TEST(GuardrailStage, ReversibleMaskNumbersPlaceholders) {
  Guarded r(
      Endpoint::kChatCompletions,
      R"({"model":"m","guardrails":["pii-restore"],"messages":[)"
      R"({"role":"user","content":[{"type":"text","text":"a@x.io and b@y.io, again a@x.io"}]},)"
      R"({"role":"assistant","content":null,"tool_calls":[{"id":"c","type":"function",)"
      R"("function":{"name":"f","arguments":"{\"to\":\"b@y.io\"}"}}]},)"
      R"({"role":"tool","tool_call_id":"c","content":"sent to c@z.io"}]})");
  EXPECT_EQ(r.outcome.kind, Outcome::Kind::kContinue);
  const auto sent = r.sent();
  EXPECT_NE(sent.find("[EMAIL_1] and [EMAIL_2], again [EMAIL_1]"), std::string::npos) << sent;
  EXPECT_NE(sent.find(R"({\"to\":\"[EMAIL_2]\"})"), std::string::npos) << sent;
  EXPECT_NE(sent.find("sent to [EMAIL_3]"), std::string::npos) << sent;
  ASSERT_EQ(r.ctx.guardrails->placeholders.size(), 3u);
  EXPECT_EQ(r.ctx.guardrails->placeholders[1].second, "b@y.io");
  GuardrailStage stage;
  EXPECT_TRUE(stage.watchesAnswerOf(r.ctx));
  EXPECT_NE(stage.filterAnswer(r.ctx), nullptr);
}

TEST(GuardrailStage, EveryEndpointsInput) {
  Guarded completion(
      Endpoint::kCompletions,
      R"({"model":"m","prompt":["ok","ssn 123-45-6789"],"guardrails":["content-filter-pre"]})");
  EXPECT_EQ(completion.outcome.status, 400);
  Guarded embedding(
      Endpoint::kEmbeddings,
      R"({"model":"m","input":"mail john@example.com","guardrails":["content-filter-pre"]})");
  EXPECT_EQ(embedding.outcome.kind, Outcome::Kind::kContinue);
  EXPECT_NE(embedding.sent().find("mail [EMAIL_REDACTED]"), std::string::npos);
  Guarded anthropic(
      Endpoint::kChatCompletions,
      R"({"model":"m","max_tokens":10,"system":"owner: john@example.com",)"
      R"("metadata":{"guardrails":["content-filter-pre"]},)"
      R"("messages":[{"role":"user","content":[{"type":"tool_result","tool_use_id":"t",)"
      R"("content":"row: ann@example.com"}]}]})",
      InboundFormat::kAnthropic);
  EXPECT_EQ(anthropic.outcome.kind, Outcome::Kind::kContinue);
  const auto sent = anthropic.sent();
  EXPECT_EQ(sent.find("@example.com"), std::string::npos) << sent;
}

TEST(GuardrailStage, LoggingOnlyNeverChangesTheRequest) {
  Guarded r(Endpoint::kChatCompletions,
            R"({"model":"m","messages":[{"role":"user","content":"10.0.0.1"}]})");
  EXPECT_EQ(r.outcome.kind, Outcome::Kind::kContinue);
  EXPECT_EQ(r.ctx.guardrails->summary(), "always:input:logged:ipv4");
  EXPECT_FALSE(r.ctx.request.rawBody.empty());
}

TEST(GuardrailStage, UnknownAndUnimplementedNamesAreRefused) {
  Guarded unknown(Endpoint::kChatCompletions, chat("hi", R"(["nope"])"));
  EXPECT_EQ(unknown.outcome.status, 400);
  EXPECT_NE(unknown.outcome.body.find("unknown guardrail 'nope'"), std::string::npos);
  Guarded lakera(Endpoint::kChatCompletions, chat("hi", R"(["lakera"])"));
  EXPECT_EQ(lakera.outcome.status, 400);
  EXPECT_NE(lakera.outcome.body.find("not implemented"), std::string::npos);
  Guarded bad(Endpoint::kChatCompletions, chat("hi", R"([1])"));
  EXPECT_EQ(bad.outcome.status, 400);
}

}  // namespace
}  // namespace switchyard
