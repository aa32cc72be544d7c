// InvokeEndpointWithResponseStream answers: AWS event-stream frames whose PayloadPart events
// carry the container's stream in pieces of any size; TGI's token events inside them.

#include "core/text.hpp"
#include "providers/common/answer_ids.hpp"
#include "providers/common/aws_errors.hpp"
#include "providers/common/errors.hpp"
#include "providers/common/json_fields.hpp"
#include "providers/common/line_framing.hpp"
#include "providers/common/scratch_json.hpp"
#include "providers/sagemaker/sagemaker_adapter.hpp"
#include "tokenizer/encoding.hpp"

namespace switchyard {

namespace json = boost::json;
using common::badUpstream;
using common::objectField;
using common::stringField;

namespace {

// Calls onPayload with the bytes of each PayloadPart; an exception event (ModelStreamError,
// InternalStreamFailure) is the stream's error.
template <class OnPayload>
Result<void> unwrapPayloads(EventStreamDecoder& frames, std::string_view bytes,
                            OnPayload&& onPayload) {
  return frames.feed(bytes, [&](const EventStreamMessage& m) -> Result<void> {
    const std::string_view type = m.header(":message-type");
    if (type == "exception") return aws::streamException(m.header(":exception-type"), m.payload);
    if (type == "error") {
      return Error::make(ErrorClass::kUpstreamServer,
                         "Upstream stream failed with " + std::string(m.header(":error-code")) +
                             ": " + std::string(m.header(":error-message")),
                         {}, "upstream_stream_error");
    }
    if (type != "event") {
      return badUpstream("The upstream sent an event-stream message of unknown type.");
    }
    if (m.header(":event-type") != "PayloadPart") return {};
    return onPayload(std::string_view(m.payload));
  });
}

}  // namespace

SageMakerStreamDecoder::SageMakerStreamDecoder(std::unique_ptr<StreamDecoder> inner)
    : inner_(std::move(inner)) {}

Result<void> SageMakerStreamDecoder::onBytes(std::string_view bytes, EventSink& sink) {
  return unwrapPayloads(frames_, bytes,
                        [&](std::string_view payload) { return inner_->onBytes(payload, sink); });
}

Result<void> SageMakerStreamDecoder::onEvent(std::string_view event, std::string_view data,
                                             EventSink& sink) {
  return inner_->onEvent(event, data, sink);
}

SageMakerStreamPassThrough::SageMakerStreamPassThrough(std::unique_ptr<StreamPassThrough> inner)
    : inner_(std::move(inner)) {}

Result<void> SageMakerStreamPassThrough::onBytes(std::string_view bytes, std::string& out,
                                                 Usage& usage) {
  return unwrapPayloads(frames_, bytes, [&](std::string_view payload) {
    return inner_->onBytes(payload, out, usage);
  });
}

TgiStreamDecoder::TgiStreamDecoder(std::string model, std::string prompt)
    : id_(common::newCompletionId()), model_(std::move(model)), prompt_(std::move(prompt)) {}

void TgiStreamDecoder::ensureStarted(EventSink& sink) {
  if (started_) return;
  started_ = true;
  sink.onEvent(StreamEvent::start(id_, model_, common::unixNow()));
}

// Lines, as TGI writes its SSE ("data:{...}") and other containers plain JSON lines.
Result<void> TgiStreamDecoder::onBytes(std::string_view bytes, EventSink& sink) {
  return common::feedLines(line_, bytes, [&](std::string_view line) -> Result<void> {
    if (line.starts_with("data:")) line.remove_prefix(5);
    while (line.starts_with(' ')) line.remove_prefix(1);
    // Blank separators and SSE comment or event lines carry nothing.
    if (!line.starts_with('{')) return {};
    return onEvent({}, line, sink);
  });
}

Result<void> TgiStreamDecoder::onEvent(std::string_view, std::string_view data, EventSink& sink) {
  if (done_) return {};
  common::ScratchJson<> parsed;
  const auto* root = parsed.parseObject(data);
  if (!root) return badUpstream("The upstream sent a stream line that is not a JSON object.");
  const auto& obj = *root;
  if (const auto error = stringField(obj, "error"); !error.empty()) {
    const Error e = Error::make(ErrorClass::kUpstreamServer,
                                "The model failed: " + std::string(error), {}, "upstream_error");
    if (!started_) return e;
    sink.onEvent(StreamEvent::failure(e));
    done_ = true;
    return {};
  }
  ensureStarted(sink);
  if (const auto* token = objectField(obj, "token")) {
    // Special tokens (</s>, <|endoftext|>) are the model's markers, not text.
    if (!common::boolField(*token, "special")) {
      if (const auto text = stringField(*token, "text"); !text.empty()) {
        text_ += text;
        sink.onEvent(StreamEvent::delta(StreamEvent::Kind::kText, text));
      }
    }
  }
  const auto* details = objectField(obj, "details");
  const auto* generated = obj.if_contains("generated_text");
  if (details || (generated && generated->is_string())) {
    const std::string_view reason = details ? stringField(*details, "finish_reason") : "";
    sink.onEvent(StreamEvent::finish(sagemaker::finishReason(reason)));
    usage_.present = true;
    usage_.promptTokens = static_cast<int64_t>(tokenizer::cl100kBase().count(prompt_));
    usage_.completionTokens = details && common::hasNumber(*details, "generated_tokens")
                                  ? common::intField(*details, "generated_tokens")
                                  : static_cast<int64_t>(tokenizer::cl100kBase().count(text_));
    usage_.totalTokens = usage_.promptTokens + usage_.completionTokens;
    sink.onEvent(StreamEvent::usageIs(usage_));
    sink.onEvent(StreamEvent::end());
    done_ = true;
  }
  return {};
}

}  // namespace switchyard
