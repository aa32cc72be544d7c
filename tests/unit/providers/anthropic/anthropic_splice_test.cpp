// An Anthropic client in front of an Anthropic deployment: the upstream gets the client's own
// Messages body, byte for byte but the model's value, with the client's version and betas;
// what only Anthropic knows survives. Other formats never get what they cannot say.

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "api/anthropic/messages_request.hpp"
#include "api/openai/parse_request.hpp"
#include "api/routing_preferences.hpp"
#include "providers/adapter.hpp"
#include "support/fixtures.hpp"

namespace switchyard {
namespace {

namespace json = boost::json;

Deployment claude() {
  Deployment d;
  d.id = "claude#0";
  d.modelName = "claude";
  d.provider = "anthropic";
  d.format = WireFormat::kAnthropic;
  d.upstreamModel = "claude-sonnet-4-5-20250929";
  d.apiBase = *parseUrl("https://api.anthropic.com");
  d.apiKey = "sk-ant-test";
  return d;
}

std::string header(const UpstreamRequest& r, std::string_view name) {
  std::string found = "<absent>";
  for (const auto& [n, v] : r.headers) {
    if (n != name) continue;
    EXPECT_EQ(found, "<absent>") << name << " sent twice";
    found = v;
  }
  return found;
}

const ProviderAdapter& anthropicAdapter() { return adapterFor(WireFormat::kAnthropic); }

// Everything the canonical request has no name for, in one body: cache_control on blocks and
// tools, thinking with its signed history, metadata, server tools and their result blocks, a
// block type from the future, a PDF with citations, container, MCP servers, service tier,
// context management and output_config.
constexpr std::string_view kRich = R"({
  "model": "claude",
  "max_tokens": 2048,
  "system": [{"type": "text", "text": "Be exact.", "cache_control": {"type": "ephemeral", "ttl": "1h"}}],
  "messages": [
    {"role": "user", "content": [
      {"type": "document", "source": {"type": "base64", "media_type": "application/pdf", "data": "JVBERi0x"},
       "citations": {"enabled": true}, "title": "spec"},
      {"type": "search_result", "source": "https://example.com", "title": "t",
       "content": [{"type": "text", "text": "found"}]},
      {"type": "hologram_20990101", "payload": {"depth": 3}},
      {"type": "text", "text": "What changed?", "cache_control": {"type": "ephemeral"}}
    ]},
    {"role": "assistant", "content": [
      {"type": "thinking", "thinking": "Look it up.", "signature": "EqQBCkYIARgCIkB"},
      {"type": "server_tool_use", "id": "srvtoolu_1", "name": "web_search", "input": {"query": "x"}},
      {"type": "web_search_tool_result", "tool_use_id": "srvtoolu_1",
       "content": [{"type": "web_search_result", "url": "https://e.com", "title": "e",
                    "encrypted_content": "Eu8B"}]},
      {"type": "text", "text": "Found it.", "citations": [{"type": "web_search_result_location",
       "url": "https://e.com", "title": "e", "encrypted_index": "Eo8B", "cited_text": "c"}]}
    ]},
    {"role": "user", "content": "Go on.\u00e9\ud83d\ude00"}
  ],
  "tools": [
    {"name": "lookup", "input_schema": {"type": "object"}, "cache_control": {"type": "ephemeral"}},
    {"type": "web_search_20250305", "name": "web_search", "max_uses": 5,
     "user_location": {"type": "approximate", "city": "Paris"}},
    {"type": "code_execution_20250825", "name": "code_execution"}
  ],
  "tool_choice": {"type": "auto"},
  "thinking": {"type": "enabled", "budget_tokens": 1024},
  "metadata": {"user_id": "u-1", "tenant": "t-9"},
  "container": "container_abc",
  "mcp_servers": [{"type": "url", "url": "https://mcp.example.com/sse", "name": "echo"}],
  "service_tier": "standard_only",
  "context_management": {"edits": [{"type": "clear_tool_uses_20250919"}]},
  "output_config": {"effort": "high"},
  "stream": true
})";

// `body` with the model's value replaced, as a text edit of the client's bytes.
std::string withModel(std::string_view body, std::string_view from, std::string_view to) {
  std::string out(body);
  const std::string key = "\"model\": \"" + std::string(from) + "\"";
  const size_t at = out.find(key);
  EXPECT_NE(at, std::string::npos);
  out.replace(at, key.size(), "\"model\": \"" + std::string(to) + "\"");
  return out;
}

TEST(AnthropicSplice, TheClientsBodyReachesTheUpstreamByteForByteButTheModel) {
  auto req = parseAnthropicRequest(kRich);
  ASSERT_TRUE(req) << req.error().message;
  req->anthropicVersion = "2023-06-01";
  req->anthropicBeta = "context-management-2025-06-27,mcp-client-2025-04-04";
  const Deployment d = claude();
  auto out = anthropicAdapter().buildRequest(*req, d);
  ASSERT_TRUE(out) << out.error().message;
  EXPECT_EQ(out->body, withModel(kRich, "claude", d.upstreamModel));
  EXPECT_EQ(out->target, "/v1/messages");
  EXPECT_EQ(header(*out, "x-api-key"), "sk-ant-test");
  EXPECT_EQ(header(*out, "anthropic-version"), "2023-06-01");
  EXPECT_EQ(header(*out, "anthropic-beta"), "context-management-2025-06-27,mcp-client-2025-04-04");
  // The gateway still knows what it needs from the canonical decode.
  EXPECT_EQ(req->model, "claude");
  EXPECT_TRUE(req->stream);
  EXPECT_EQ(req->parameters.maxTokens.i, 2048);
  EXPECT_EQ(req->body().at("messages").as_array().size(), 4u);  // system, user, assistant, user
  // The stream is forwarded as it comes.
  EXPECT_NE(anthropicAdapter().makeStreamPassThrough(*req), nullptr);
}

TEST(AnthropicSplice, TheRecordedAgentRequestToo) {
  const std::string agent = testing::readFixture("anthropic-inbound/messages-request-agent.json");
  auto req = parseAnthropicRequest(agent);
  ASSERT_TRUE(req) << req.error().message;
  EXPECT_FALSE(req->untranslated);
  auto out = anthropicAdapter().buildRequest(*req, claude());
  ASSERT_TRUE(out);
  EXPECT_EQ(out->body, withModel(agent, "claude-sonnet-4-5", "claude-sonnet-4-5-20250929"));
  // Without the client's headers, the version the gateway speaks, and no betas.
  EXPECT_EQ(header(*out, "anthropic-version"), "2023-06-01");
  EXPECT_EQ(header(*out, "anthropic-beta"), "<absent>");
}

TEST(AnthropicSplice, TheDeploymentsBetasJoinTheClients) {
  auto req = parseAnthropicRequest(R"({"model":"c","max_tokens":5,"messages":[
      {"role":"user","content":"hi"}]})");
  ASSERT_TRUE(req);
  req->anthropicVersion = "2024-01-01";
  req->anthropicBeta = "files-api-2025-04-14";
  Deployment d = claude();
  d.extraHeaders["anthropic-beta"] = "prompt-caching-2024-07-31";
  auto out = anthropicAdapter().buildRequest(*req, d);
  ASSERT_TRUE(out);
  EXPECT_EQ(header(*out, "anthropic-beta"), "prompt-caching-2024-07-31,files-api-2025-04-14");
  EXPECT_EQ(header(*out, "anthropic-version"), "2024-01-01");
}

TEST(AnthropicSplice, RoutingFieldsAreTheGatewaysAndAreCut) {
  const std::string body = R"({"models":["claude","backup"],"model":"claude","max_tokens":5,)"
                           R"("messages":[{"role":"user","content":"hi"}],)"
                           R"("provider":{"order":["anthropic"]},"top_k":3})";
  auto req = parseAnthropicRequest(body);
  ASSERT_TRUE(req);
  auto prefs = takeRoutePreferences(*req);
  ASSERT_TRUE(prefs);
  EXPECT_TRUE(prefs->any);
  EXPECT_EQ(prefs->models, (std::vector<std::string>{"claude", "backup"}));
  auto out = anthropicAdapter().buildRequest(*req, claude());
  ASSERT_TRUE(out);
  EXPECT_EQ(out->body, R"({"model":"claude-sonnet-4-5-20250929","max_tokens":5,)"
                       R"("messages":[{"role":"user","content":"hi"}],"top_k":3})");
}

TEST(AnthropicSplice, OutputFormatIsAskedForAsTheClientDidNotThroughTheJsonTool) {
  auto req = parseAnthropicRequest(R"({"model":"c","max_tokens":50,"stream":true,
      "messages":[{"role":"user","content":"hi"}],
      "output_config":{"format":{"type":"json_schema","schema":{"type":"object"}}}})");
  ASSERT_TRUE(req);
  auto out = anthropicAdapter().buildRequest(*req, claude());
  ASSERT_TRUE(out);
  const json::object sent = json::parse(out->body).as_object();
  EXPECT_TRUE(sent.contains("output_config"));
  EXPECT_FALSE(sent.contains("tools"));
  EXPECT_NE(anthropicAdapter().makeStreamPassThrough(*req), nullptr);
  // The answer is text the client asked for, not a JSON tool's input to unwrap.
  Usage usage;
  auto answer = anthropicAdapter().translateResponse(*req, R"({"id":"msg_1","type":"message",
      "role":"assistant","model":"m","content":[{"type":"text","text":"{\"a\":1}"}],
      "stop_reason":"end_turn","usage":{"input_tokens":3,"output_tokens":4}})",
                                                     usage);
  ASSERT_TRUE(answer) << answer.error().message;
  const auto message = json::parse(*answer).at("choices").at(0).at("message");
  EXPECT_EQ(message.at("content"), "{\"a\":1}");
}

TEST(AnthropicSplice, AnEditedRequestIsEncodedAgainAndRefusesWhatItWouldLose) {
  auto plain = parseAnthropicRequest(R"({"model":"c","max_tokens":5,"metadata":{"user_id":"u"},
      "messages":[{"role":"user","content":"hi"}]})");
  ASSERT_TRUE(plain);
  plain->editBody()["temperature"] = 0.5;  // a stage's change the client's text does not have
  EXPECT_TRUE(plain->clientText.empty());
  auto out = anthropicAdapter().buildRequest(*plain, claude());
  ASSERT_TRUE(out);
  const json::object sent = json::parse(out->body).as_object();
  EXPECT_EQ(sent.at("temperature"), 0.5);
  EXPECT_EQ(sent.at("metadata"), json::parse(R"({"user_id":"u"})"));

  auto rich = parseAnthropicRequest(kRich);
  ASSERT_TRUE(rich);
  rich->editBody();
  auto refused = anthropicAdapter().buildRequest(*rich, claude());
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().status, 400);
  EXPECT_EQ(refused.error().param, "messages.0.content.0.source.type");
}

TEST(AnthropicSplice, WhatOnlyAnthropicKnowsIsTheFirstSuchPartsRefusalElsewhere) {
  auto req = parseAnthropicRequest(kRich);
  ASSERT_TRUE(req);
  ASSERT_TRUE(req->untranslated);
  EXPECT_EQ(req->untranslated->cls, ErrorClass::kBadRequest);
  EXPECT_EQ(req->untranslated->param, "messages.0.content.0.source.type");
  // The translation leaves every such part out rather than mangle it.
  const std::string canonical = json::serialize(req->body());
  for (std::string_view absent :
       {"search_result", "hologram", "server_tool_use", "web_search", "code_execution", "JVBER"}) {
    EXPECT_EQ(canonical.find(absent), std::string::npos) << absent;
  }
  EXPECT_NE(canonical.find("lookup"), std::string::npos);
}

TEST(AnthropicSplice, AnOpenAiClientStillGetsTheTranslation) {
  const std::string body = R"({"model":"claude","messages":[{"role":"user","content":"hi"}],
      "max_tokens":7,"user":"u-1"})";
  auto req = parseOpenAiRequest(Endpoint::kChatCompletions, body);
  ASSERT_TRUE(req);
  auto out = anthropicAdapter().buildRequest(*req, claude());
  ASSERT_TRUE(out);
  EXPECT_EQ(json::parse(out->body), json::parse(R"({"model":"claude-sonnet-4-5-20250929",
      "max_tokens":7,"messages":[{"role":"user","content":"hi"}],
      "metadata":{"user_id":"u-1"}})"));
  EXPECT_EQ(header(*out, "anthropic-version"), "2023-06-01");
  EXPECT_EQ(header(*out, "anthropic-beta"), "<absent>");
  EXPECT_EQ(anthropicAdapter().makeStreamPassThrough(*req), nullptr);
}

}  // namespace
}  // namespace switchyard
