// Cohere Chat v2 stream events → canonical events.

#include "providers/cohere/cohere_adapter.hpp"
#include "providers/common/errors.hpp"
#include "providers/common/json_fields.hpp"
#include "providers/common/scratch_json.hpp"

namespace switchyard {

namespace json = boost::json;
using common::badUpstream;
using common::intField;
using common::objectField;
using common::stringField;

CohereStreamDecoder::CohereStreamDecoder(std::string model)
    : id_(common::newCompletionId()), model_(std::move(model)) {}

void CohereStreamDecoder::ensureStarted(EventSink& sink) {
  if (started_) return;
  started_ = true;
  sink.onEvent(StreamEvent::start(id_, model_, common::unixNow()));
}

namespace {

// delta.message of an event, where its payload lives.
const json::object* deltaMessage(const json::object& event) {
  const auto* delta = objectField(event, "delta");
  return delta ? objectField(*delta, "message") : nullptr;
}

}  // namespace

Result<void> CohereStreamDecoder::onEvent(std::string_view, std::string_view data,
                                          EventSink& sink) {
  if (done_) return {};
  common::ScratchJson<> parsed;
  const auto* root = parsed.parseObject(data);
  if (!root) return badUpstream("The upstream sent a stream event that is not JSON.");
  const auto& obj = *root;
  // The payload names its own type; the SSE event line, when present, says the same.
  const std::string_view type = stringField(obj, "type");
  const auto* message = deltaMessage(obj);
  using Kind = StreamEvent::Kind;

  if (type == "message-start") {
    ensureStarted(sink);
  } else if (type == "content-start" || type == "content-delta") {
    const auto* content = message ? objectField(*message, "content") : nullptr;
    if (!content) {
      return type == "content-delta"
                 ? Result<void>(badUpstream("A content-delta event has no content."))
                 : Result<void>();
    }
    ensureStarted(sink);
    if (const auto text = stringField(*content, "text"); !text.empty()) {
      sink.onEvent(StreamEvent::delta(Kind::kText, text));
    } else if (const auto thinking = stringField(*content, "thinking"); !thinking.empty()) {
      sink.onEvent(StreamEvent::delta(Kind::kReasoning, thinking));
    }
  } else if (type == "tool-plan-delta") {
    if (const auto plan = message ? stringField(*message, "tool_plan") : std::string_view();
        !plan.empty()) {
      ensureStarted(sink);
      sink.onEvent(StreamEvent::delta(Kind::kText, plan));
    }
  } else if (type == "tool-call-start" || type == "tool-call-delta") {
    const auto* call = message ? objectField(*message, "tool_calls") : nullptr;
    const auto* fn = call ? objectField(*call, "function") : nullptr;
    if (!fn) return badUpstream("A Cohere tool-call event has no function.");
    ensureStarted(sink);
    const auto index = static_cast<int32_t>(intField(obj, "index"));
    if (type == "tool-call-start") {
      sink.onEvent(
          StreamEvent::toolCall(index, stringField(*call, "id"), stringField(*fn, "name")));
      toolsWithoutArguments_.insert(index);
    }
    const std::string_view arguments = stringField(*fn, "arguments");
    if (!arguments.empty()) toolsWithoutArguments_.erase(index);
    sink.onEvent(StreamEvent::toolArguments(index, arguments));
  } else if (type == "tool-call-end") {
    // A tool called without arguments streams none; clients parse "{}" where "" would fail.
    const auto index = static_cast<int32_t>(intField(obj, "index"));
    if (toolsWithoutArguments_.erase(index) > 0) {
      sink.onEvent(StreamEvent::toolArguments(index, "{}"));
    }
  } else if (type == "message-end") {
    const auto* delta = objectField(obj, "delta");
    const std::string_view reason =
        delta ? stringField(*delta, "finish_reason") : std::string_view();
    const std::string_view finish = cohere::finishReason(reason);
    if (finish.empty()) {
      return Error::make(reason == "TIMEOUT" ? ErrorClass::kTimeout : ErrorClass::kUpstreamServer,
                         "Cohere ended the generation with " + std::string(reason) + ".", {},
                         "upstream_error");
    }
    if (const auto* uo = delta ? objectField(*delta, "usage") : nullptr) {
      cohere::readUsage(*uo, usage_);
    }
    ensureStarted(sink);
    sink.onEvent(StreamEvent::finish(finish));
    if (usage_.present) sink.onEvent(StreamEvent::usageIs(usage_));
    sink.onEvent(StreamEvent::end());
    done_ = true;
  }
  // content-end, citation-* and unknown events carry nothing for the client.
  return {};
}

}  // namespace switchyard
