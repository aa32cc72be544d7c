// Any bytes as a /v1/responses body: the decoder answers a Result, never crashes or leaks. A
// decoded request is a chat body with a model and messages; its Response object (whole and
// streamed, from a few events) is valid JSON; the client text a native upstream is sent, with
// the model spliced in, says what the body said with the model replaced.
#include <boost/json.hpp>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "api/anthropic/messages_request_text.hpp"
#include "api/openai/responses_encoders.hpp"
#include "api/openai/responses_request.hpp"
#include "api/routing_preferences.hpp"

namespace {

namespace json = boost::json;
using switchyard::StreamEvent;

void feed(switchyard::EventSink& sink) {
  const switchyard::Usage usage{true, 3, 4, 7, 1, 0, 0};
  sink.onEvent(StreamEvent::start("id", "m", 1));
  sink.onEvent(StreamEvent::delta(StreamEvent::Kind::kReasoning, "r"));
  sink.onEvent(StreamEvent::delta(StreamEvent::Kind::kText, "t\"\n"));
  sink.onEvent(StreamEvent::toolCall(0, "c", "f"));
  sink.onEvent(StreamEvent::toolArguments(0, "{}"));
  sink.onEvent(StreamEvent::finish("stop"));
  sink.onEvent(StreamEvent::usageIs(usage));
  sink.onEvent(StreamEvent::end());
}

void checkEncoders(const switchyard::ApiRequest& req) {
  switchyard::ResponsesAnswerEncoder whole(req);
  feed(whole);
  auto body = whole.body();
  boost::system::error_code ec;
  if (!body || !json::parse(*body, ec).is_object() || ec) __builtin_trap();
  switchyard::ResponsesStreamEncoder stream(req);
  feed(stream);
  const std::string& out = stream.output();
  // Every data line is a JSON object.
  for (size_t at = out.find("data: "); at != std::string::npos; at = out.find("data: ", at)) {
    const size_t end = out.find('\n', at);
    json::parse(std::string_view(out).substr(at + 6, end - at - 6), ec);
    if (ec) __builtin_trap();
    at = end;
  }
}

void checkSplice(std::string_view text, const switchyard::ApiRequest& req) {
  const auto located = switchyard::anthropic_in::clientTextOf(req.clientText.text);
  if (!located.located()) return;  // encoded again from the canonical body instead
  std::string spliced;
  located.spliceInto("upstream \"model\"", spliced);
  boost::system::error_code ec;
  auto reparsed = json::parse(spliced, ec);
  auto original = json::parse(text, ec);
  if (ec || !reparsed.is_object()) __builtin_trap();
  auto& expected = original.as_object();
  expected["model"] = "upstream \"model\"";
  for (const auto member : switchyard::kRoutePreferenceMembers) expected.erase(member);
  if (reparsed.as_object() != expected) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view body(reinterpret_cast<const char*>(data), size);
  auto parsed = switchyard::parseResponsesRequest(body);
  if (!parsed) {
    if (parsed.error().status != 400 || parsed.error().message.empty()) __builtin_trap();
    return 0;
  }
  const auto& req = *parsed;
  if (req.model.empty() || req.format != switchyard::InboundFormat::kResponses) __builtin_trap();
  // No messages only when what the input held is left out for a native upstream.
  const auto* messages = req.body().if_contains("messages");
  if (!messages || !messages->is_array()) __builtin_trap();
  if (messages->get_array().empty() && !req.untranslated) __builtin_trap();
  // (A member named "" is named by an empty path.)
  if (req.untranslated && (req.untranslated->status != 400 || req.untranslated->message.empty())) {
    __builtin_trap();
  }
  checkEncoders(req);
  checkSplice(body, req);
  return 0;
}
