// Recorded OpenAI chunk streams → Anthropic SSE, replayed whole and split at arbitrary byte
// boundaries; the output is parsed back and checked against Anthropic's event protocol and
// against the content, tool calls and usage of the source stream.

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <map>
#include <random>

#include "api/anthropic/anthropic_sse_checker.hpp"
#include "api/anthropic/messages_request.hpp"
#include "api/anthropic/messages_stream_encoder.hpp"
#include "client/sse_parser.hpp"
#include "providers/openai/openai_stream.hpp"
#include "support/fixtures.hpp"

namespace switchyard {
namespace {

namespace json = boost::json;

// OpenAI chunks decoded into events and encoded for an Anthropic client: the path an OpenAI-format
// upstream's stream takes to a /v1/messages client.
class OpenAiToAnthropic {
 public:
  explicit OpenAiToAnthropic(const ApiRequest& req) : enc_(req) {}
  Result<void> onOpenAiEvent(std::string_view data, std::string& out) {
    auto r = dec_.onEvent({}, data, enc_);
    // An upstream's error chunk before anything was said fails the attempt; a client that is
    // answered anyway gets it as the error event.
    if (!r && r.error().code == "upstream_stream_error") {
      enc_.fail(r.error());
      r = {};
    }
    drain(out);
    return r;
  }
  Result<void> onOpenAiSse(std::string_view bytes, std::string& out) {
    Result<void> result;
    const bool ok = sse_.feed(bytes, [&](const SseEvent& e) {
      if (result) result = onOpenAiEvent(e.data, out);
    });
    if (result && !ok) return Error::make(ErrorClass::kBadUpstream, "oversized event");
    return result;
  }
  bool finished() const { return dec_.finished(); }
  void fail(const Error& e, std::string& out) {
    enc_.fail(e);
    drain(out);
  }

 private:
  void drain(std::string& out) {
    out += enc_.output();
    enc_.output().clear();
  }
  OpenAiStreamDecoder dec_;
  AnthropicStreamEncoder enc_;
  SseParser sse_;
};

ApiRequest streamRequest(std::string_view extra = "") {
  std::string b =
      R"({"model":"claude-alias","max_tokens":64,"stream":true,"messages":[{"role":"user","content":"q"}])";
  b += extra;
  b += "}";
  auto r = parseAnthropicRequest(b);
  EXPECT_TRUE(r) << (r ? "" : r.error().message);
  return r ? *r : ApiRequest{};
}

std::string encodeEvents(const std::vector<std::string>& events, const ApiRequest& req) {
  OpenAiToAnthropic enc(req);
  std::string out;
  for (const auto& e : events) {
    auto r = enc.onOpenAiEvent(e, out);
    EXPECT_TRUE(r) << (r ? "" : r.error().message);
  }
  EXPECT_TRUE(enc.finished());
  return out;
}

// What the source stream says, read independently of the encoder.
struct Expected {
  std::string text;
  std::string thinking;
  std::map<int64_t, std::string> arguments;  // by tool call position
};

Expected expectedFrom(const std::vector<std::string>& chunks) {
  Expected e;
  int64_t position = -1;
  std::string lastId;
  for (const auto& c : chunks) {
    const auto chunk = json::parse(c).as_object();
    for (const auto& choice : chunk.at("choices").as_array()) {
      const auto& delta = choice.at("delta").as_object();
      if (const auto* t = delta.if_contains("content"); t && t->is_string())
        e.text += t->as_string();
      if (const auto* r = delta.if_contains("reasoning_content"); r && r->is_string()) {
        e.thinking += r->as_string();
      }
      if (const auto* calls = delta.if_contains("tool_calls")) {
        for (const auto& call : calls->as_array()) {
          const auto& o = call.as_object();
          if (const auto* i = o.if_contains("index")) {
            position = i->as_int64();
          } else if (o.contains("id") && o.at("id").as_string() != lastId) {
            ++position;
          }
          if (o.contains("id")) lastId = o.at("id").as_string();
          e.arguments[position] += o.at("function").at("arguments").as_string();
        }
      }
    }
  }
  return e;
}

struct StreamCase {
  const char* file;
  std::vector<std::string> blockTypes;
  const char* stopReason;
  const char* toolId;  // of the first tool call, when there is one
  const char* toolName;
  int64_t input;  // uncached prompt tokens
  int64_t output;
  int64_t cacheRead;
  int64_t thinking;
};

class AnthropicInboundStreamConformance : public ::testing::TestWithParam<StreamCase> {};

TEST_P(AnthropicInboundStreamConformance, ValidEventsSameContentAndUsage) {
  const auto& c = GetParam();
  SCOPED_TRACE(c.file);
  auto events = testing::readChunks(c.file);
  ASSERT_FALSE(events.empty());
  const Expected expected = expectedFrom(events);
  events.push_back("[DONE]");
  const ApiRequest req = streamRequest();

  const std::string whole = encodeEvents(events, req);
  const auto s = testing::checkAnthropicStream(whole);
  EXPECT_TRUE(s.stopped);
  EXPECT_FALSE(s.errored);
  EXPECT_EQ(s.message.at("model"), "claude-alias");
  const std::string upstreamId(json::parse(events[0]).at("id").as_string());
  EXPECT_EQ(s.message.at("id").as_string(), "msg_" + upstreamId);

  ASSERT_EQ(s.blocks.size(), c.blockTypes.size());
  std::string text, thinking;
  std::vector<const testing::AnthropicBlock*> tools;
  for (size_t i = 0; i < s.blocks.size(); ++i) {
    EXPECT_EQ(s.blocks[i].type, c.blockTypes[i]) << "block " << i;
    if (s.blocks[i].type == "text") text += s.blocks[i].text;
    if (s.blocks[i].type == "thinking") thinking += s.blocks[i].text;
    if (s.blocks[i].type == "tool_use") tools.push_back(&s.blocks[i]);
  }
  EXPECT_EQ(text, expected.text);
  EXPECT_EQ(thinking, expected.thinking);
  ASSERT_EQ(tools.size(), expected.arguments.size());
  size_t t = 0;
  for (const auto& [position, args] : expected.arguments) {
    // The reassembled partial_json is the upstream's arguments, byte for byte, and valid JSON.
    EXPECT_EQ(tools[t]->text, args);
    EXPECT_TRUE(json::parse(tools[t]->text).is_object());
    ++t;
  }
  if (c.toolId) {
    EXPECT_EQ(tools.at(0)->id, c.toolId);
    EXPECT_EQ(tools.at(0)->name, c.toolName);
  }
  EXPECT_EQ(s.stopReason, c.stopReason);
  EXPECT_TRUE(s.stopSequence.is_null());
  EXPECT_EQ(s.usage.at("input_tokens"), c.input);
  EXPECT_EQ(s.usage.at("output_tokens"), c.output);
  EXPECT_EQ(s.usage.at("cache_read_input_tokens"), c.cacheRead);
  EXPECT_EQ(s.usage.at("cache_creation_input_tokens"), 0);
  if (c.thinking > 0) {
    EXPECT_EQ(s.usage.at("output_tokens_details").at("thinking_tokens"), c.thinking);
  } else {
    EXPECT_FALSE(s.usage.contains("output_tokens_details"));
  }

  // The same events as SSE bytes, split anywhere, give the same output byte for byte.
  std::string wire;
  for (const auto& e : events) wire += "data: " + e + "\n\n";
  std::mt19937 rng(11);
  for (size_t maxPiece : {1, 7, 64, 700}) {
    OpenAiToAnthropic enc(req);
    std::string out;
    std::uniform_int_distribution<size_t> pieceSize(1, maxPiece);
    for (size_t pos = 0; pos < wire.size();) {
      const size_t n = std::min(pieceSize(rng), wire.size() - pos);
      ASSERT_TRUE(enc.onOpenAiSse(std::string_view(wire).substr(pos, n), out));
      pos += n;
    }
    EXPECT_TRUE(enc.finished());
    EXPECT_EQ(out, whole) << "split into pieces of up to " << maxPiece << " bytes";
  }
}

INSTANTIATE_TEST_SUITE_P(
    Fixtures, AnthropicInboundStreamConformance,
    ::testing::Values(
        StreamCase{
            "openai/openai-text.chunks.txt", {"text"}, "end_turn", nullptr, nullptr, 16, 300, 0, 0},
        // Reasoning, then a tool call; usage (with cached tokens) in the last content chunk.
        StreamCase{"openai/deepseek-tool-call.chunks.txt",
                   {"thinking", "tool_use"},
                   "tool_use",
                   "call_00_ioIn7yN9p1ZOMNpDLwd4MgAF",
                   "weather",
                   19,
                   83,
                   320,
                   39},
        StreamCase{"openai-compatible/groq-tool-call.chunks.txt",
                   {"tool_use"},
                   "tool_use",
                   "tk85n1k4m",
                   "weather",
                   210,
                   15,
                   0,
                   0},
        // The whole call, finish_reason and usage in one chunk, and no tool call index.
        StreamCase{"anthropic-inbound/mistral-tool-call.chunks.txt",
                   {"tool_use"},
                   "tool_use",
                   "gSIMJiOkT",
                   "weather",
                   124,
                   22,
                   0,
                   0},
        StreamCase{"openai-compatible/deepseek-reasoning.chunks.txt",
                   {"thinking", "text"},
                   "end_turn",
                   nullptr,
                   nullptr,
                   18,
                   219,
                   0,
                   205}));

// Hand-made chunk streams for what the recordings do not cover.
std::string chunk(std::string_view delta, std::string_view finish = "null",
                  std::string_view extra = "") {
  return R"({"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":)" +
         std::string(delta) + R"(,"finish_reason":)" + std::string(finish) + "}]" +
         std::string(extra) + "}";
}

TEST(AnthropicInboundStream, TextThenParallelToolCallsByIndex) {
  const auto s = testing::checkAnthropicStream(encodeEvents(
      {chunk(R"({"role":"assistant","content":"Checking"})"), chunk(R"({"content":" both."})"),
       chunk(
           R"({"tool_calls":[{"index":0,"id":"a","type":"function","function":{"name":"f","arguments":""}}]})"),
       chunk(R"({"tool_calls":[{"index":0,"function":{"arguments":"{\"x\":"}}]})"),
       chunk(R"({"tool_calls":[{"index":0,"function":{"arguments":"1}"}}]})"),
       chunk(
           R"({"tool_calls":[{"index":1,"id":"b","type":"function","function":{"name":"g","arguments":"{}"}}]})"),
       chunk("{}", R"("tool_calls")"),
       R"({"id":"c1","choices":[],"usage":{"prompt_tokens":50,"completion_tokens":9,"total_tokens":59}})",
       "[DONE]"},
      streamRequest()));
  ASSERT_EQ(s.blocks.size(), 3u);
  EXPECT_EQ(s.blocks[0].type, "text");
  EXPECT_EQ(s.blocks[0].text, "Checking both.");
  EXPECT_EQ(s.blocks[1].id, "a");
  EXPECT_EQ(s.blocks[1].name, "f");
  EXPECT_EQ(s.blocks[1].text, R"({"x":1})");
  EXPECT_EQ(s.blocks[2].id, "b");
  EXPECT_EQ(s.blocks[2].name, "g");
  EXPECT_EQ(s.blocks[2].text, "{}");
  EXPECT_EQ(s.stopReason, "tool_use");
  EXPECT_EQ(s.usage.at("input_tokens"), 50);
  EXPECT_EQ(s.usage.at("output_tokens"), 9);
  // message_start cannot know the usage yet.
  EXPECT_EQ(s.message.at("usage").at("input_tokens"), 0);
}

TEST(AnthropicInboundStream, ToolCallsWithoutIndexSplitOnNewIds) {
  const auto s = testing::checkAnthropicStream(encodeEvents(
      {chunk(R"({"tool_calls":[{"id":"a","function":{"name":"f","arguments":"{\"k\":1}"}},
                 {"id":"b","function":{"name":"g","arguments":"{}"}}]})",
             R"("tool_calls")"),
       "[DONE]"},
      streamRequest()));
  ASSERT_EQ(s.blocks.size(), 2u);
  EXPECT_EQ(s.blocks[0].id, "a");
  EXPECT_EQ(s.blocks[0].text, R"({"k":1})");
  EXPECT_EQ(s.blocks[1].id, "b");
  EXPECT_EQ(s.blocks[1].name, "g");
}

TEST(AnthropicInboundStream, ArgumentsBeforeTheNameAreHeldBack) {
  const auto s = testing::checkAnthropicStream(encodeEvents(
      {chunk(R"({"tool_calls":[{"index":0,"id":"a","function":{"arguments":"{\"q\""}}]})"),
       chunk(R"({"tool_calls":[{"index":0,"function":{"name":"search","arguments":":\"x\"}"}}]})"),
       chunk("{}", R"("tool_calls")"), "[DONE]"},
      streamRequest()));
  ASSERT_EQ(s.blocks.size(), 1u);
  EXPECT_EQ(s.blocks[0].name, "search");
  EXPECT_EQ(s.blocks[0].text, R"({"q":"x"})");
}

TEST(AnthropicInboundStream, ToolCallWithoutIdGetsOne) {
  const auto s = testing::checkAnthropicStream(encodeEvents(
      {chunk(R"({"tool_calls":[{"index":0,"function":{"name":"f","arguments":"{}"}}]})",
             R"("stop")"),
       "[DONE]"},
      streamRequest()));
  ASSERT_EQ(s.blocks.size(), 1u);
  EXPECT_EQ(s.blocks[0].id, "toolu_0");
  EXPECT_EQ(s.stopReason, "tool_use");  // "stop" after tool calls still means run the tools
}

TEST(AnthropicInboundStream, StopReasons) {
  auto stopOf = [](std::string_view finish, const ApiRequest& req = streamRequest(),
                   std::string_view extraChoice = "") {
    std::string last = chunk("{}", finish);
    if (!extraChoice.empty()) last.insert(last.rfind("}]"), extraChoice);
    const auto s = testing::checkAnthropicStream(
        encodeEvents({chunk(R"({"content":"x"})"), last, "[DONE]"}, req));
    return std::make_pair(s.stopReason, s.stopSequence);
  };
  EXPECT_EQ(stopOf(R"("stop")").first, "end_turn");
  EXPECT_EQ(stopOf(R"("length")").first, "max_tokens");
  EXPECT_EQ(stopOf(R"("content_filter")").first, "refusal");
  const auto [reason, sequence] =
      stopOf(R"("stop")", streamRequest(R"(,"stop_sequences":["###"])"), R"(,"stop_reason":"###")");
  EXPECT_EQ(reason, "stop_sequence");
  EXPECT_EQ(sequence, "###");
}

TEST(AnthropicInboundStream, RefusalDeltaIsTextWithRefusalStop) {
  const auto s = testing::checkAnthropicStream(encodeEvents(
      {chunk(R"({"refusal":"No."})"), chunk("{}", R"("stop")"), "[DONE]"}, streamRequest()));
  ASSERT_EQ(s.blocks.size(), 1u);
  EXPECT_EQ(s.blocks[0].text, "No.");
  EXPECT_EQ(s.stopReason, "refusal");
}

TEST(AnthropicInboundStream, EmptyStreamIsStillAMessage) {
  const auto s = testing::checkAnthropicStream(encodeEvents({"[DONE]"}, streamRequest()));
  EXPECT_EQ(s.events, (std::vector<std::string>{"message_start", "message_delta", "message_stop"}));
  EXPECT_EQ(s.stopReason, "end_turn");
}

TEST(AnthropicInboundStream, OtherChoicesAreIgnored) {
  const auto s = testing::checkAnthropicStream(encodeEvents(
      {R"({"id":"c","choices":[{"index":1,"delta":{"content":"B"}},{"index":0,"delta":{"content":"A"}}]})",
       "[DONE]"},
      streamRequest()));
  ASSERT_EQ(s.blocks.size(), 1u);
  EXPECT_EQ(s.blocks[0].text, "A");
}

TEST(AnthropicInboundStream, UpstreamErrorChunkBecomesErrorEvent) {
  OpenAiToAnthropic enc(streamRequest());
  std::string out;
  ASSERT_TRUE(enc.onOpenAiEvent(chunk(R"({"content":"partial"})"), out));
  ASSERT_TRUE(enc.onOpenAiEvent(
      R"({"error":{"message":"Rate limit reached","type":"requests","code":"rate_limit_exceeded"}})",
      out));
  // Whatever follows is not forwarded; [DONE] still marks the upstream stream complete.
  ASSERT_TRUE(enc.onOpenAiEvent(chunk(R"({"content":"more"})"), out));
  ASSERT_TRUE(enc.onOpenAiEvent("[DONE]", out));
  EXPECT_TRUE(enc.finished());
  const auto s = testing::checkAnthropicStream(out);
  EXPECT_TRUE(s.errored);
  EXPECT_FALSE(s.stopped);
  EXPECT_EQ(s.events.back(), "error");
  EXPECT_EQ(s.error, json::parse(R"({"type":"error","error":{"type":"rate_limit_error",
      "message":"Rate limit reached"}})"));
  ASSERT_EQ(s.blocks.size(), 1u);
  EXPECT_EQ(s.blocks[0].text, "partial");
}

TEST(AnthropicInboundStream, ServerErrorChunkIsApiError) {
  OpenAiToAnthropic enc(streamRequest());
  std::string out;
  ASSERT_TRUE(enc.onOpenAiEvent(R"({"error":{"message":"boom","type":"server_error"}})", out));
  const auto s = testing::checkAnthropicStream(out);
  EXPECT_EQ(s.events, std::vector<std::string>{"error"});
  EXPECT_EQ(s.error.at("error").at("type"), "api_error");
  EXPECT_EQ(s.error.at("error").at("message"), "boom");
}

TEST(AnthropicInboundStream, FailAfterStartSendsOneErrorEvent) {
  OpenAiToAnthropic enc(streamRequest());
  std::string out;
  ASSERT_TRUE(enc.onOpenAiEvent(chunk(R"({"content":"x"})"), out));
  enc.fail(Error::make(ErrorClass::kTimeout, "upstream timed out"), out);
  enc.fail(Error::make(ErrorClass::kTimeout, "again"), out);
  const auto s = testing::checkAnthropicStream(out);
  EXPECT_EQ(s.events, (std::vector<std::string>{"message_start", "content_block_start",
                                                "content_block_delta", "error"}));
  EXPECT_EQ(s.error.at("error").at("message"), "upstream timed out");
  EXPECT_FALSE(enc.finished());
}

TEST(AnthropicInboundStream, FailAfterTheEndAddsNothing) {
  OpenAiToAnthropic enc(streamRequest());
  std::string out;
  ASSERT_TRUE(enc.onOpenAiEvent("[DONE]", out));
  const std::string done = out;
  enc.fail(Error::make(ErrorClass::kInternal, "late"), out);
  EXPECT_EQ(out, done);
}

TEST(AnthropicInboundStream, MalformedChunksAreBadUpstream) {
  for (const char* bad : {"<html>", "[1]", R"({"choices":[5]})",
                          R"({"choices":[{"index":0,"delta":{"tool_calls":[7]}}]})"}) {
    OpenAiToAnthropic enc(streamRequest());
    std::string out;
    auto r = enc.onOpenAiEvent(bad, out);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().cls, ErrorClass::kBadUpstream);
    EXPECT_FALSE(enc.finished());
  }
  // Through the SSE entry point as well.
  OpenAiToAnthropic enc(streamRequest());
  std::string out;
  auto r = enc.onOpenAiSse("data: {not json}\n\n", out);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().cls, ErrorClass::kBadUpstream);
  EXPECT_TRUE(out.empty());
}

TEST(AnthropicInboundStream, UsageInEveryChunkLastOneWins) {
  const std::string u1 = R"(,"usage":{"prompt_tokens":5,"completion_tokens":1,"total_tokens":6})";
  const std::string u2 = R"(,"usage":{"prompt_tokens":5,"completion_tokens":2,"total_tokens":7})";
  const auto s = testing::checkAnthropicStream(
      encodeEvents({chunk(R"({"content":"a"})", "null", u1),
                    chunk(R"({"content":"b"})", R"("stop")", u2), "[DONE]"},
                   streamRequest()));
  EXPECT_EQ(s.message.at("usage").at("input_tokens"), 5);  // known at the start here
  EXPECT_EQ(s.usage.at("input_tokens"), 5);
  EXPECT_EQ(s.usage.at("output_tokens"), 2);
}

}  // namespace
}  // namespace switchyard
