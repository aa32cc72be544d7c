#include "providers/bedrock/bedrock_stream.hpp"

#include "providers/bedrock/bedrock_adapter.hpp"
#include "providers/common/aws_errors.hpp"
#include "providers/common/errors.hpp"
#include "providers/common/json_fields.hpp"
#include "providers/common/scratch_json.hpp"

namespace switchyard {

namespace json = boost::json;
using common::badUpstream;
using common::intField;
using common::objectField;
using common::stringField;

BedrockStreamDecoder::BedrockStreamDecoder(std::string model)
    : id_(common::newCompletionId()), model_(std::move(model)) {}

Result<void> BedrockStreamDecoder::onBytes(std::string_view bytes, EventSink& sink) {
  return decoder_.feed(bytes, [&](const EventStreamMessage& m) -> Result<void> {
    const std::string_view type = m.header(":message-type");
    if (type == "exception") {
      return aws::streamException(m.header(":exception-type"), m.payload);
    }
    if (type == "error") {
      return Error::make(ErrorClass::kUpstreamServer,
                         "Upstream stream failed with " + std::string(m.header(":error-code")) +
                             ": " + std::string(m.header(":error-message")),
                         {}, "upstream_stream_error");
    }
    if (type != "event")
      return badUpstream("The upstream sent an event-stream message of unknown type.");
    return onEvent(m.header(":event-type"), m.payload, sink);
  });
}

void BedrockStreamDecoder::ensureStarted(EventSink& sink) {
  if (started_) return;
  started_ = true;
  sink.onEvent(StreamEvent::start(id_, model_, common::unixNow()));
}

void BedrockStreamDecoder::maybeFinish(EventSink& sink) {
  if (done_ || finishReason_.empty() || !haveUsage_) return;
  sink.onEvent(StreamEvent::usageIs(usage_));
  sink.onEvent(StreamEvent::end());
  done_ = true;
}

void BedrockStreamDecoder::onUpstreamEnd(EventSink& sink) {
  if (done_ || finishReason_.empty()) return;
  sink.onEvent(StreamEvent::end());
  done_ = true;
}

Result<void> BedrockStreamDecoder::onEvent(std::string_view event, std::string_view data,
                                           EventSink& sink) {
  if (done_) return {};
  common::ScratchJson<> parsed;
  const auto* root = parsed.parseObject(data);
  if (!root) return badUpstream("The upstream sent a stream event that is not JSON.");
  const auto& obj = *root;
  using Kind = StreamEvent::Kind;

  if (event == "messageStart") {
    ensureStarted(sink);
  } else if (event == "contentBlockStart") {
    const auto* start = objectField(obj, "start");
    const auto* use = start ? objectField(*start, "toolUse") : nullptr;
    if (!use) return {};
    ensureStarted(sink);
    const auto index = static_cast<int32_t>(tools_.size());
    tools_[intField(obj, "contentBlockIndex")] = ToolBlock{index, false};
    sink.onEvent(
        StreamEvent::toolCall(index, stringField(*use, "toolUseId"), stringField(*use, "name")));
  } else if (event == "contentBlockDelta") {
    const auto* delta = objectField(obj, "delta");
    if (!delta) return badUpstream("A contentBlockDelta event has no delta.");
    if (const auto* t = delta->if_contains("text"); t && t->is_string()) {
      ensureStarted(sink);
      sink.onEvent(StreamEvent::delta(Kind::kText, t->get_string()));
    } else if (const auto* use = objectField(*delta, "toolUse")) {
      auto it = tools_.find(intField(obj, "contentBlockIndex"));
      if (it == tools_.end()) return badUpstream("A tool input delta came before its block start.");
      const std::string_view input = stringField(*use, "input");
      if (!input.empty()) {
        it->second.sentArguments = true;
        sink.onEvent(StreamEvent::toolArguments(it->second.index, input));
      }
    } else if (const auto* r = objectField(*delta, "reasoningContent")) {
      ensureStarted(sink);
      sink.onEvent(StreamEvent::delta(Kind::kReasoning, stringField(*r, "text")));
      if (auto signature = stringField(*r, "signature"); !signature.empty()) {
        sink.onEvent(StreamEvent::delta(Kind::kReasoningSignature, signature));
      }
      if (auto redacted = stringField(*r, "redactedContent"); !redacted.empty()) {
        sink.onEvent(StreamEvent::delta(Kind::kRedactedReasoning, redacted));
      }
    }
  } else if (event == "contentBlockStop") {
    // A tool called without arguments streams no input; clients parse "{}" where "" would fail.
    auto it = tools_.find(intField(obj, "contentBlockIndex"));
    if (it != tools_.end() && !it->second.sentArguments) {
      it->second.sentArguments = true;
      sink.onEvent(StreamEvent::toolArguments(it->second.index, "{}"));
    }
  } else if (event == "messageStop") {
    ensureStarted(sink);
    finishReason_ = std::string(bedrock::finishReason(stringField(obj, "stopReason")));
    sink.onEvent(StreamEvent::finish(finishReason_));
    maybeFinish(sink);
  } else if (event == "metadata") {
    if (const auto* u = objectField(obj, "usage")) bedrock::readUsage(*u, usage_);
    haveUsage_ = true;
    maybeFinish(sink);
  }
  // Unknown event types carry nothing for the client.
  return {};
}

}  // namespace switchyard
