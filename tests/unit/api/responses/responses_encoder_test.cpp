// Events → the Responses API: the documented stream event sequence with monotonic sequence
// numbers, and the same Response object whole or at the stream's end.

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>
#include <vector>

#include "api/openai/responses_encoders.hpp"
#include "api/openai/responses_request.hpp"

namespace switchyard {
namespace {

namespace json = boost::json;

struct SseEvent {
  std::string name;
  json::object data;
};

// Parses "event: X\ndata: {...}\n\n" events; every event's name is its data's type.
std::vector<SseEvent> parseSse(const std::string& wire) {
  std::vector<SseEvent> out;
  size_t at = 0;
  while (at < wire.size()) {
    const size_t end = wire.find("\n\n", at);
    EXPECT_NE(end, std::string::npos);
    const std::string block = wire.substr(at, end - at);
    at = end + 2;
    const size_t nl = block.find('\n');
    EXPECT_EQ(block.substr(0, 7), "event: ");
    EXPECT_EQ(block.substr(nl + 1, 6), "data: ");
    SseEvent e{block.substr(7, nl - 7), json::parse(block.substr(nl + 7)).as_object()};
    EXPECT_EQ(e.data.at("type").as_string(), e.name);
    out.push_back(std::move(e));
  }
  return out;
}

std::vector<std::string> names(const std::vector<SseEvent>& events) {
  std::vector<std::string> n;
  for (const auto& e : events) n.push_back(e.name);
  return n;
}

void expectMonotonic(const std::vector<SseEvent>& events) {
  for (size_t i = 0; i < events.size(); ++i) {
    EXPECT_EQ(events[i].data.at("sequence_number").as_int64(), static_cast<int64_t>(i))
        << events[i].name;
  }
}

ApiRequest request(std::string_view body) {
  auto r = parseResponsesRequest(body);
  EXPECT_TRUE(r);
  return std::move(*r);
}

Usage usage(int64_t prompt, int64_t completion, int64_t cached, int64_t reasoning) {
  Usage u;
  u.present = true;
  u.promptTokens = prompt;
  u.completionTokens = completion;
  u.totalTokens = prompt + completion;
  u.cachedPromptTokens = cached;
  u.reasoningTokens = reasoning;
  return u;
}

// Reasoning, text in two deltas, then a tool call: the events any provider decoder emits.
void feedMixed(EventSink& sink, const Usage& u, std::string_view finish) {
  sink.onEvent(StreamEvent::start("chatcmpl-1", "upstream-model", 1));
  sink.onEvent(StreamEvent::delta(StreamEvent::Kind::kReasoning, "Think"));
  sink.onEvent(StreamEvent::delta(StreamEvent::Kind::kReasoning, "ing."));
  sink.onEvent(StreamEvent::delta(StreamEvent::Kind::kText, "Hel"));
  sink.onEvent(StreamEvent::delta(StreamEvent::Kind::kText, "lo \"you\""));
  sink.onEvent(StreamEvent::toolCall(0, "call_1", "weather"));
  sink.onEvent(StreamEvent::toolArguments(0, "{\"city\":"));
  sink.onEvent(StreamEvent::toolArguments(0, "\"Paris\"}"));
  sink.onEvent(StreamEvent::finish(finish));
  sink.onEvent(StreamEvent::usageIs(u));
  sink.onEvent(StreamEvent::end());
}

TEST(ResponsesStreamEncoder, DocumentedSequenceWithMonotonicNumbers) {
  const ApiRequest req = request(
      R"({"model":"client-model","input":"x","instructions":"Be brief","metadata":{"a":"b"}})");
  ResponsesStreamEncoder enc(req);
  const Usage u = usage(20, 10, 4, 3);
  feedMixed(enc, u, "tool_calls");
  const auto events = parseSse(enc.output());
  expectMonotonic(events);
  EXPECT_EQ(names(events), (std::vector<std::string>{
                               "response.created",
                               "response.in_progress",
                               "response.output_item.added",  // reasoning
                               "response.reasoning_summary_part.added",
                               "response.reasoning_summary_text.delta",
                               "response.reasoning_summary_text.delta",
                               "response.reasoning_summary_text.done",
                               "response.reasoning_summary_part.done",
                               "response.output_item.done",
                               "response.output_item.added",  // message
                               "response.content_part.added",
                               "response.output_text.delta",
                               "response.output_text.delta",
                               "response.output_text.done",
                               "response.content_part.done",
                               "response.output_item.done",
                               "response.output_item.added",  // function_call
                               "response.function_call_arguments.delta",
                               "response.function_call_arguments.delta",
                               "response.function_call_arguments.done",
                               "response.output_item.done",
                               "response.completed",
                           }));
  const auto& created = events[0].data.at("response").as_object();
  EXPECT_EQ(created.at("status"), "in_progress");
  EXPECT_EQ(created.at("model"), "client-model");
  EXPECT_TRUE(created.at("output").as_array().empty());
  EXPECT_TRUE(created.at("usage").is_null());
  EXPECT_EQ(created.at("instructions"), "Be brief");

  EXPECT_EQ(events[11].data.at("delta"), "Hel");
  EXPECT_EQ(events[12].data.at("delta"), "lo \"you\"");
  EXPECT_EQ(events[13].data.at("text"), "Hello \"you\"");
  const std::string msgId(events[9].data.at("item").at("id").as_string());
  EXPECT_EQ(std::string(events[11].data.at("item_id").as_string()), msgId);
  EXPECT_EQ(events[11].data.at("output_index"), 1);
  EXPECT_EQ(events[19].data.at("arguments"), "{\"city\":\"Paris\"}");
  EXPECT_EQ(events[16].data.at("item").at("call_id"), "call_1");
  EXPECT_EQ(events[16].data.at("item").at("name"), "weather");

  const auto& done = events.back().data.at("response").as_object();
  EXPECT_EQ(done.at("id"), created.at("id"));
  EXPECT_TRUE(done.at("id").as_string().starts_with("resp_"));
  EXPECT_EQ(done.at("status"), "completed");
  EXPECT_EQ(done.at("metadata"), json::parse(R"({"a":"b"})"));
  EXPECT_EQ(done.at("usage"), json::parse(R"({"input_tokens":20,
    "input_tokens_details":{"cached_tokens":4},"output_tokens":10,
    "output_tokens_details":{"reasoning_tokens":3},"total_tokens":30})"));
  const auto& output = done.at("output").as_array();
  ASSERT_EQ(output.size(), 3u);
  EXPECT_EQ(output[0].at("type"), "reasoning");
  EXPECT_EQ(output[0].at("summary"),
            json::parse(R"([{"type":"summary_text","text":"Thinking."}])"));
  EXPECT_EQ(output[1].at("content").at(0).at("text"), "Hello \"you\"");
  EXPECT_EQ(output[1].at("status"), "completed");
  EXPECT_EQ(output[2].at("arguments"), "{\"city\":\"Paris\"}");

  // The whole answer of the same events is the same Response object (ids aside).
  ResponsesAnswerEncoder whole(req);
  feedMixed(whole, u, "tool_calls");
  auto body = whole.body();
  ASSERT_TRUE(body);
  json::object w = json::parse(*body).as_object();
  json::object s = done;
  for (auto* r : {&w, &s}) {
    r->erase("id");
    r->erase("created_at");
    for (auto& item : (*r)["output"].as_array()) item.as_object().erase("id");
  }
  for (auto& item : s["output"].as_array()) {
    if (item.at("type") == "function_call") item.as_object().erase("call_id");
  }
  for (auto& item : w["output"].as_array()) {
    if (item.at("type") == "function_call") item.as_object().erase("call_id");
  }
  EXPECT_EQ(w, s);
}

TEST(ResponsesStreamEncoder, LengthIsIncompleteAndRefusalIsAPart) {
  const ApiRequest req = request(R"({"model":"m","input":"x","max_output_tokens":5})");
  ResponsesStreamEncoder enc(req);
  enc.onEvent(StreamEvent::start("", "", 0));
  enc.onEvent(StreamEvent::delta(StreamEvent::Kind::kRefusal, "No."));
  enc.onEvent(StreamEvent::finish("length"));
  enc.onEvent(StreamEvent::end());
  const auto events = parseSse(enc.output());
  expectMonotonic(events);
  EXPECT_EQ(events[3].name, "response.content_part.added");
  EXPECT_EQ(events[3].data.at("part").at("type"), "refusal");
  EXPECT_EQ(events[4].name, "response.refusal.delta");
  EXPECT_EQ(events[5].name, "response.refusal.done");
  EXPECT_EQ(events.back().name, "response.incomplete");
  const auto& r = events.back().data.at("response");
  EXPECT_EQ(r.at("status"), "incomplete");
  EXPECT_EQ(r.at("incomplete_details"), json::parse(R"({"reason":"max_output_tokens"})"));
  EXPECT_EQ(r.at("max_output_tokens"), 5);
  EXPECT_EQ(r.at("output").at(0).at("status"), "incomplete");
}

TEST(ResponsesStreamEncoder, FailureMidStreamIsAnErrorAndResponseFailedOnce) {
  const ApiRequest req = request(R"({"model":"m","input":"x"})");
  ResponsesStreamEncoder enc(req);
  enc.onEvent(StreamEvent::start("", "", 0));
  enc.onEvent(StreamEvent::delta(StreamEvent::Kind::kText, "par"));
  const Error e = Error::make(ErrorClass::kTimeout, "upstream timed out", {}, "timeout");
  enc.onEvent(StreamEvent::failure(e));
  enc.fail(e);
  enc.onEvent(StreamEvent::end());
  const auto events = parseSse(enc.output());
  expectMonotonic(events);
  ASSERT_GE(events.size(), 3u);
  EXPECT_EQ(events[events.size() - 2].name, "error");
  EXPECT_EQ(events[events.size() - 2].data.at("message"), "upstream timed out");
  EXPECT_EQ(events.back().name, "response.failed");
  const auto& r = events.back().data.at("response");
  EXPECT_EQ(r.at("status"), "failed");
  EXPECT_EQ(r.at("error").at("code"), "timeout");
  EXPECT_EQ(r.at("output").at(0).at("content").at(0).at("text"), "par");
}

TEST(ResponsesAnswerEncoder, TextOnlyAndAnUnendedAnswer) {
  const ApiRequest req = request(R"({"model":"m","input":"x","temperature":0.5})");
  ResponsesAnswerEncoder enc(req);
  enc.onEvent(StreamEvent::start("id", "up", 1));
  enc.onEvent(StreamEvent::delta(StreamEvent::Kind::kText, "Hi"));
  EXPECT_FALSE(enc.body());  // no end yet
  enc.onEvent(StreamEvent::finish("stop"));
  enc.onEvent(StreamEvent::end());
  auto body = enc.body();
  ASSERT_TRUE(body);
  const auto r = json::parse(*body).as_object();
  EXPECT_EQ(r.at("object"), "response");
  EXPECT_EQ(r.at("status"), "completed");
  EXPECT_EQ(r.at("temperature"), 0.5);
  EXPECT_TRUE(r.at("usage").is_null());  // the upstream reported none
  EXPECT_EQ(r.at("output").at(0).at("content"),
            json::parse(R"([{"type":"output_text","text":"Hi","annotations":[],"logprobs":[]}])"));
}

}  // namespace
}  // namespace switchyard
