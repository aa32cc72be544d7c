// Replays recorded Anthropic streams (tests/fixtures/anthropic) through the stream translator,
// split at arbitrary byte boundaries, and checks the OpenAI chunks a client would receive.

#include "providers/anthropic/anthropic_stream.hpp"

#include <gtest/gtest.h>

#include "support/openai_chunks.hpp"

#include <boost/json.hpp>
#include <random>

#include "support/fixtures.hpp"

namespace switchyard::anthropic {
namespace {

namespace json = boost::json;

struct ToolCallSeen {
  std::string id;
  std::string name;
  std::string arguments;
};

// What the client receives, reassembled the way an OpenAI SDK does.
struct ClientView {
  std::vector<json::object> chunks;  // every JSON chunk but the error and usage chunks
  std::string content;
  std::string reasoning;
  std::string refusal;
  std::vector<std::string> signatures;
  std::vector<ToolCallSeen> toolCalls;
  std::string finishReason;
  int finishChunks = 0;
  int roleChunks = 0;
  std::optional<json::object> usageChunk;
  std::optional<json::object> errorChunk;
  bool sawDone = false;
  bool doneIsLast = false;
  // The translator's side.
  Usage usage;
  bool finished = false;
  std::optional<Error> error;
};

std::string sseWire(const std::vector<std::string>& lines) {
  std::string wire;
  for (const auto& line : lines) {
    // Anthropic names each event after its payload's type.
    const auto v = json::parse(line);
    wire += "event: " + std::string(v.as_object().at("type").as_string()) + "\n";
    wire += "data: " + line + "\n\n";
  }
  return wire;
}

ClientView replayWire(const std::string& wire, bool clientWantsUsage, bool jsonTool,
                      std::mt19937& rng) {
  testing::OpenAiChunks<AnthropicStreamDecoder> translator(clientWantsUsage, jsonTool);
  ClientView view;
  std::string out;
  std::uniform_int_distribution<size_t> pieceSize(1, 300);
  for (size_t pos = 0; pos < wire.size();) {
    const size_t n = std::min(pieceSize(rng), wire.size() - pos);
    auto r = translator.onBytes(std::string_view(wire).substr(pos, n), out, view.usage);
    pos += n;
    if (!r) {
      view.error = r.error();
      break;
    }
  }
  view.finished = translator.finished();

  SseParser client;
  client.feed(out, [&](const SseEvent& e) {
    EXPECT_FALSE(view.sawDone) << "data after [DONE]: " << e.data;
    if (e.data == "[DONE]") {
      view.sawDone = true;
      return;
    }
    auto chunk = json::parse(e.data).as_object();
    if (chunk.contains("error")) {
      view.errorChunk = chunk;
      return;
    }
    EXPECT_EQ(chunk.at("object").as_string(), "chat.completion.chunk");
    const auto& choices = chunk.at("choices").as_array();
    if (choices.empty()) {
      view.usageChunk = chunk;
      return;
    }
    EXPECT_FALSE(view.usageChunk) << "choice chunk after the usage chunk";
    const auto& choice = choices[0].as_object();
    EXPECT_EQ(choice.at("index").as_int64(), 0);
    const auto& delta = choice.at("delta").as_object();
    if (delta.contains("role")) {
      EXPECT_EQ(delta.at("role").as_string(), "assistant");
      EXPECT_TRUE(view.chunks.empty()) << "the role chunk must come first";
      ++view.roleChunks;
    }
    if (const auto* c = delta.if_contains("content"); c && c->is_string()) {
      view.content += c->as_string();
    }
    if (const auto* r = delta.if_contains("reasoning_content")) view.reasoning += r->as_string();
    if (const auto* r = delta.if_contains("refusal")) view.refusal += r->as_string();
    if (const auto* blocks = delta.if_contains("thinking_blocks")) {
      for (const auto& b : blocks->as_array()) {
        if (const auto* s = b.as_object().if_contains("signature")) {
          view.signatures.emplace_back(s->as_string());
        }
      }
    }
    if (const auto* calls = delta.if_contains("tool_calls")) {
      for (const auto& c : calls->as_array()) {
        const auto& call = c.as_object();
        const auto index = static_cast<size_t>(call.at("index").as_int64());
        const auto& fn = call.at("function").as_object();
        if (call.contains("id")) {
          EXPECT_EQ(index, view.toolCalls.size()) << "tool call indexes must be dense";
          EXPECT_EQ(call.at("type").as_string(), "function");
          view.toolCalls.push_back(ToolCallSeen{std::string(call.at("id").as_string()),
                                                std::string(fn.at("name").as_string()), ""});
        }
        EXPECT_LT(index, view.toolCalls.size()) << "arguments before the call's first chunk";
        if (index < view.toolCalls.size()) {
          view.toolCalls[index].arguments += fn.at("arguments").as_string();
        }
      }
    }
    if (const auto& f = choice.at("finish_reason"); f.is_string()) {
      view.finishReason = f.as_string();
      ++view.finishChunks;
    } else {
      EXPECT_EQ(view.finishChunks, 0) << "content after the finish chunk";
    }
    view.chunks.push_back(std::move(chunk));
  });
  view.doneIsLast = view.sawDone;
  return view;
}

ClientView replay(const std::string& fixture, bool clientWantsUsage, bool jsonTool = false,
                  unsigned seed = 7) {
  std::mt19937 rng(seed);
  return replayWire(sseWire(testing::readChunks("anthropic/" + fixture)), clientWantsUsage,
                    jsonTool, rng);
}

void expectCompleteStream(const ClientView& v) {
  ASSERT_FALSE(v.error) << v.error->message;
  EXPECT_TRUE(v.finished);
  EXPECT_TRUE(v.sawDone);
  EXPECT_EQ(v.roleChunks, 1);
  EXPECT_EQ(v.finishChunks, 1);
  EXPECT_FALSE(v.errorChunk);
}

// Every fixture replayed with many different splits gives the same client view.
TEST(AnthropicStream, SplitsDoNotMatter) {
  for (const char* f : {"anthropic-text.chunks.txt", "anthropic-tool-no-args.chunks.txt",
                        "anthropic-clear-thinking.1.chunks.txt"}) {
    const ClientView reference = replay(f, true, false, 1);
    for (unsigned seed = 2; seed < 40; ++seed) {
      const ClientView v = replay(f, true, false, seed);
      EXPECT_EQ(v.content, reference.content) << f << " seed " << seed;
      EXPECT_EQ(v.reasoning, reference.reasoning) << f;
      ASSERT_EQ(v.toolCalls.size(), reference.toolCalls.size()) << f;
      for (size_t i = 0; i < v.toolCalls.size(); ++i) {
        EXPECT_EQ(v.toolCalls[i].arguments, reference.toolCalls[i].arguments);
      }
      EXPECT_EQ(v.chunks.size(), reference.chunks.size()) << f;
    }
  }
  // One byte at a time, too.
  testing::OpenAiChunks<AnthropicStreamDecoder> translator(false, false);
  const std::string wire = sseWire(testing::readChunks("anthropic/anthropic-text.chunks.txt"));
  std::string out;
  Usage usage;
  for (char c : wire) ASSERT_TRUE(translator.onBytes(std::string_view(&c, 1), out, usage));
  EXPECT_TRUE(translator.finished());
  EXPECT_EQ(usage.completionTokens, 30);
}

TEST(AnthropicStream, Text) {
  for (bool wantsUsage : {false, true}) {
    SCOPED_TRACE(wantsUsage ? "with usage chunk" : "without usage chunk");
    const ClientView v = replay("anthropic-text.chunks.txt", wantsUsage);
    expectCompleteStream(v);
    EXPECT_EQ(v.content,
              "Hello! I'm doing well, thank you for asking. How are you doing today? Is there "
              "anything I can help you with?");
    EXPECT_EQ(v.finishReason, "stop");
    EXPECT_TRUE(v.toolCalls.empty());
    const auto& first = v.chunks.front();
    EXPECT_EQ(first.at("id").as_string(), "msg_01QC4g3HwBThD4BaNtBckFDJ");
    EXPECT_EQ(first.at("model").as_string(), "claude-sonnet-4-5-20250929");
    EXPECT_GT(first.at("created").as_int64(), 1700000000);
    for (const auto& c : v.chunks) EXPECT_EQ(c.at("id"), first.at("id"));
    // Accounting gets usage whether or not the client asked for it.
    EXPECT_TRUE(v.usage.present);
    EXPECT_EQ(v.usage.promptTokens, 12);
    EXPECT_EQ(v.usage.completionTokens, 30);
    EXPECT_EQ(v.usage.totalTokens, 42);
    EXPECT_EQ(v.usage.cachedPromptTokens, 0);
    ASSERT_EQ(v.usageChunk.has_value(), wantsUsage);
    if (wantsUsage) {
      const auto& u = v.usageChunk->at("usage").as_object();
      EXPECT_EQ(u.at("prompt_tokens").as_int64(), 12);
      EXPECT_EQ(u.at("completion_tokens").as_int64(), 30);
      EXPECT_EQ(u.at("total_tokens").as_int64(), 42);
      EXPECT_EQ(v.usageChunk->at("id"), first.at("id"));
    }
  }
}

TEST(AnthropicStream, ToolCallWithoutArgumentsGetsAnEmptyObject) {
  const ClientView v = replay("anthropic-tool-no-args.chunks.txt", true);
  expectCompleteStream(v);
  EXPECT_EQ(v.content, "I'll update the issue list for you.");
  ASSERT_EQ(v.toolCalls.size(), 1u);
  EXPECT_EQ(v.toolCalls[0].id, "toolu_01QE1WLsSVp5hy5Q3GmGTmjP");
  EXPECT_EQ(v.toolCalls[0].name, "updateIssueList");
  EXPECT_EQ(v.toolCalls[0].arguments, "{}");
  EXPECT_EQ(v.finishReason, "tool_calls");
  EXPECT_EQ(v.usage.promptTokens, 565);
  EXPECT_EQ(v.usage.completionTokens, 48);
}

TEST(AnthropicStream, ToolArgumentsStreamAsFragments) {
  const ClientView v = replay("anthropic-json-tool.1.chunks.txt", false);
  expectCompleteStream(v);
  ASSERT_EQ(v.toolCalls.size(), 1u);
  EXPECT_EQ(v.toolCalls[0].id, "toolu_01KFbKqPYSuAKujiL6mTfzYA");
  EXPECT_EQ(v.toolCalls[0].name, "json");
  EXPECT_EQ(
      v.toolCalls[0].arguments,
      R"({"elements": [{"location": "San Francisco", "temperature": 58, "condition": "sunny"}]})");
  EXPECT_EQ(json::parse(v.toolCalls[0].arguments).at("elements").as_array().size(), 1u);
  EXPECT_EQ(v.content, "");
  EXPECT_EQ(v.finishReason, "tool_calls");
  EXPECT_EQ(v.usage.promptTokens, 849);
  EXPECT_EQ(v.usage.completionTokens, 47);
}

// The recorded stream with the tool renamed to the gateway's JSON tool: what a response_format
// request gets back.
std::string asJsonToolWire(const std::string& fixture) {
  std::string wire = sseWire(testing::readChunks("anthropic/" + fixture));
  const std::string from = R"("name":"json")";
  const std::string to = "\"name\":\"" + std::string(kJsonToolName) + "\"";
  wire.replace(wire.find(from), from.size(), to);
  return wire;
}

TEST(AnthropicStream, JsonToolBecomesContent) {
  std::mt19937 rng(3);
  const ClientView v =
      replayWire(asJsonToolWire("anthropic-json-tool.1.chunks.txt"), true, true, rng);
  expectCompleteStream(v);
  EXPECT_TRUE(v.toolCalls.empty());
  EXPECT_EQ(
      v.content,
      R"({"elements": [{"location": "San Francisco", "temperature": 58, "condition": "sunny"}]})");
  EXPECT_EQ(v.finishReason, "stop");

  const ClientView v2 =
      replayWire(asJsonToolWire("anthropic-json-tool.2.chunks.txt"), false, true, rng);
  expectCompleteStream(v2);
  EXPECT_TRUE(v2.toolCalls.empty());
  EXPECT_EQ(
      v2.content,
      std::string("I'll invoke the JSON response tool.") +
          R"({"elements": [{"location": "San Francisco", "temperature": 58, "condition": "sunny"}]})");
  EXPECT_EQ(v2.finishReason, "stop");

  // Without response_format a tool of that name is an ordinary tool call.
  const ClientView v3 =
      replayWire(asJsonToolWire("anthropic-json-tool.1.chunks.txt"), false, false, rng);
  ASSERT_EQ(v3.toolCalls.size(), 1u);
  EXPECT_EQ(v3.toolCalls[0].name, kJsonToolName);
}

TEST(AnthropicStream, RefusalIsAContentFilterFinish) {
  const ClientView v = replay("anthropic-refusal.chunks.txt", true);
  expectCompleteStream(v);
  EXPECT_EQ(v.content, "");
  EXPECT_EQ(v.finishReason, "content_filter");
  EXPECT_EQ(v.refusal,
            "This request triggered restrictions on violative cyber content and was blocked under "
            "Anthropic's Usage Policy.");
  EXPECT_EQ(v.usage.promptTokens, 18);
  EXPECT_EQ(v.usage.completionTokens, 5);
}

TEST(AnthropicStream, ThinkingBecomesReasoningContent) {
  const ClientView v = replay("anthropic-clear-thinking.1.chunks.txt", true);
  expectCompleteStream(v);
  EXPECT_EQ(v.reasoning,
            "The previous result was 925. Now I need to divide that by 5.\n\n925 ÷ 5 = 185");
  EXPECT_EQ(v.content, "925 ÷ 5 = 185");
  ASSERT_EQ(v.signatures.size(), 1u);
  EXPECT_TRUE(v.signatures[0].starts_with("EvQBCkYICxgCKkAxhD4N"));
  EXPECT_EQ(v.finishReason, "stop");
  EXPECT_EQ(v.usage.promptTokens, 69);
  EXPECT_EQ(v.usage.completionTokens, 53);
}

TEST(AnthropicStream, MessageDeltaInputTokensWin) {
  const ClientView v = replay("anthropic-message-delta-input-tokens.chunks.txt", true);
  expectCompleteStream(v);
  EXPECT_EQ(v.content, "pong");
  EXPECT_EQ(v.usage.promptTokens, 61);
  EXPECT_EQ(v.usage.completionTokens, 2);
  EXPECT_EQ(v.usageChunk->at("usage").at("prompt_tokens").as_int64(), 61);
}

TEST(AnthropicStream, DuplicateMessageStartIsIgnored) {
  const ClientView v = replay("duplicate-message-start.chunks.txt", true);
  expectCompleteStream(v);
  EXPECT_EQ(v.content, "Hello, World!");
  EXPECT_EQ(v.usage.promptTokens, 17);
  EXPECT_EQ(v.usage.completionTokens, 227);
}

TEST(AnthropicStream, SplicedMessageStartFailsTheStream) {
  const ClientView v = replay("spliced-message-start.chunks.txt", true);
  ASSERT_TRUE(v.error);
  EXPECT_EQ(v.error->cls, ErrorClass::kBadUpstream);
  EXPECT_FALSE(v.finished);
  EXPECT_FALSE(v.sawDone);
  EXPECT_EQ(v.finishChunks, 0);
  for (const auto& call : v.toolCalls) EXPECT_NE(call.id, "toolu_second");
  EXPECT_EQ(v.reasoning, "I will call the tool.");
}

TEST(AnthropicStream, FallbackBlockIsSkipped) {
  const ClientView v = replay("anthropic-fallback.chunks.txt", true);
  expectCompleteStream(v);
  EXPECT_EQ(v.content, "The printing press was invented by Johannes Gutenberg around 1440.");
  EXPECT_EQ(v.usage.promptTokens, 412);
  EXPECT_EQ(v.usage.completionTokens, 264);
  EXPECT_EQ(v.chunks.front().at("model").as_string(), "claude-fable-5");
}

// Server tools (web search, code execution, MCP) have no OpenAI shape: their blocks are skipped,
// the model's text comes through and the stream completes.
TEST(AnthropicStream, ServerToolStreamsDoNotBreakTheTranslator) {
  for (const char* f :
       {"anthropic-web-search-tool.1.chunks.txt", "anthropic-code-execution-20250825.1.chunks.txt",
        "anthropic-mcp.1.chunks.txt"}) {
    SCOPED_TRACE(f);
    const ClientView v = replay(f, true);
    expectCompleteStream(v);
    EXPECT_TRUE(v.toolCalls.empty());
    EXPECT_FALSE(v.content.empty());
    EXPECT_TRUE(v.usage.present);
    EXPECT_GT(v.usage.completionTokens, 0);
  }
}

TEST(AnthropicStream, CacheTokensCountAsPrompt) {
  const std::vector<std::string> lines = {
      R"({"type":"message_start","message":{"id":"msg_c","model":"claude-3-5-haiku-20241022","role":"assistant","content":[],"usage":{"input_tokens":10,"cache_read_input_tokens":100,"cache_creation_input_tokens":20,"output_tokens":1}}})",
      R"({"type":"content_block_start","index":0,"content_block":{"type":"text","text":"Hi"}})",
      R"({"type":"content_block_stop","index":0})",
      R"({"type":"message_delta","delta":{"stop_reason":"max_tokens"},"usage":{"output_tokens":5}})",
      R"({"type":"message_stop"})"};
  std::mt19937 rng(5);
  const ClientView v = replayWire(sseWire(lines), true, false, rng);
  expectCompleteStream(v);
  EXPECT_EQ(v.content, "Hi");
  EXPECT_EQ(v.finishReason, "length");
  EXPECT_EQ(v.usage.promptTokens, 130);
  EXPECT_EQ(v.usage.cachedPromptTokens, 100);
  EXPECT_EQ(v.usage.cacheWriteTokens, 20);
  EXPECT_EQ(v.usage.completionTokens, 5);
  const auto& u = v.usageChunk->at("usage").as_object();
  EXPECT_EQ(u.at("prompt_tokens").as_int64(), 130);
  EXPECT_EQ(u.at("prompt_tokens_details").at("cached_tokens").as_int64(), 100);
  EXPECT_EQ(u.at("cache_creation_input_tokens").as_int64(), 20);
  EXPECT_EQ(u.at("cache_read_input_tokens").as_int64(), 100);
}

TEST(AnthropicStream, ErrorEventMidStreamBecomesAnErrorChunk) {
  const std::vector<std::string> lines = {
      R"({"type":"message_start","message":{"id":"msg_e","model":"claude-3-5-haiku-20241022","role":"assistant","content":[],"usage":{"input_tokens":7,"output_tokens":1}}})",
      R"({"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}})",
      R"({"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Par"}})",
      R"({"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}})",
      R"({"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"is"}})"};
  std::mt19937 rng(9);
  const ClientView v = replayWire(sseWire(lines), true, false, rng);
  EXPECT_FALSE(v.error);
  EXPECT_TRUE(v.finished);  // the stream ends here, without [DONE]
  EXPECT_FALSE(v.sawDone);
  EXPECT_EQ(v.content, "Par");
  ASSERT_TRUE(v.errorChunk);
  const auto& err = v.errorChunk->at("error").as_object();
  EXPECT_NE(err.at("message").as_string().find("Overloaded"), std::string::npos);
  EXPECT_EQ(err.at("code").as_string(), "overloaded_error");
  EXPECT_EQ(v.usage.promptTokens, 7);
}

TEST(AnthropicStream, ErrorEventFirstFailsTheAttempt) {
  testing::OpenAiChunks<AnthropicStreamDecoder> translator(false, false);
  std::string out;
  Usage usage;
  auto r = translator.onBytes(
      "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\","
      "\"message\":\"Overloaded\"}}\n\n",
      out, usage);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().cls, ErrorClass::kUpstreamServer);
  EXPECT_EQ(r.error().status, 503);
  EXPECT_TRUE(out.empty());  // nothing was sent, so the router may try elsewhere
}

TEST(AnthropicStream, MalformedEventsAreBadUpstream) {
  for (const std::string& wire :
       {std::string("data: {not json\n\n"), std::string("data: [1,2]\n\n"),
        std::string("event: content_block_delta\ndata: {\"type\":\"content_block_delta\","
                    "\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"x\"}}\n\n"),
        std::string("data: {\"type\":\"message_start\"}\n\n"),
        std::string("data: {\"type\":\"message_start\",\"message\":{\"id\":\"m\"}}\n\n"
                    "data: {\"type\":\"content_block_start\",\"index\":99999999,"
                    "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n")}) {
    testing::OpenAiChunks<AnthropicStreamDecoder> translator(true, false);
    std::string out;
    Usage usage;
    auto r = translator.onBytes(wire, out, usage);
    ASSERT_FALSE(r) << wire;
    EXPECT_EQ(r.error().cls, ErrorClass::kBadUpstream) << wire;
    EXPECT_FALSE(translator.finished());
  }
  // Odd but well-formed events are ignored: wrong types, unknown deltas, indexes never started.
  testing::OpenAiChunks<AnthropicStreamDecoder> translator(true, false);
  std::string out;
  Usage usage;
  const std::string odd =
      "data: {\"type\":\"message_start\",\"message\":{\"id\":\"m\",\"model\":5,\"usage\":[]}}\n\n"
      "data: {\"type\":\"content_block_delta\",\"index\":3,\"delta\":{\"type\":\"text_delta\","
      "\"text\":\"lost\"}}\n\n"
      "data: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\","
      "\"text\":7}}\n\n"
      "data: "
      "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"future_delta\"}}\n\n"
      "data: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":\"x\"}\n\n"
      "data: {\"type\":\"brand_new_event\"}\n\n"
      "data: "
      "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":null},\"usage\":{\"output_tokens\":"
      "\"x\"}}\n\n"
      "data: {\"type\":\"message_stop\"}\n\n";
  ASSERT_TRUE(translator.onBytes(odd, out, usage));
  EXPECT_TRUE(translator.finished());
  EXPECT_NE(out.find("\"finish_reason\":\"stop\""), std::string::npos);
  EXPECT_EQ(out.find("lost"), std::string::npos);
}

}  // namespace
}  // namespace switchyard::anthropic
