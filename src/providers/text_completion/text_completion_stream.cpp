// Legacy completions stream (text_completion chunks, then a usage chunk, then [DONE]) → canonical
// events of a chat answer.

#include "providers/common/answer_ids.hpp"
#include "providers/common/errors.hpp"
#include "providers/common/json_fields.hpp"
#include "providers/common/scratch_json.hpp"
#include "providers/openai/openai_usage.hpp"
#include "providers/text_completion/text_completion_adapter.hpp"

namespace switchyard {

namespace json = boost::json;
using common::stringField;

TextCompletionStreamDecoder::TextCompletionStreamDecoder(std::string model)
    : model_(std::move(model)) {}

void TextCompletionStreamDecoder::ensureStarted(EventSink& sink, std::string_view id) {
  if (started_) return;
  started_ = true;
  id_ = id.empty() ? common::newCompletionId() : std::string(id);
  sink.onEvent(StreamEvent::start(id_, model_, common::unixNow()));
}

void TextCompletionStreamDecoder::onUpstreamEnd(EventSink& sink) {
  if (done_ || finished_.empty()) return;
  for (const auto& [index, finished] : finished_) {
    if (!finished) return;
  }
  sink.onEvent(StreamEvent::end());
  done_ = true;
}

Result<void> TextCompletionStreamDecoder::onEvent(std::string_view, std::string_view data,
                                                  EventSink& sink) {
  if (done_) return {};
  if (data == "[DONE]") {
    ensureStarted(sink, {});
    sink.onEvent(StreamEvent::end());
    done_ = true;
    return {};
  }
  common::ScratchJson<> parsed;
  const auto* root = parsed.parseObject(data);
  if (!root) return common::badUpstream("The upstream sent a stream event that is not JSON.");
  const auto& chunk = *root;
  if (const auto* err = common::objectField(chunk, "error")) {
    const Error e =
        Error::make(ErrorClass::kUpstreamServer,
                    "Upstream stream failed: " + std::string(stringField(*err, "message")), {},
                    "upstream_stream_error");
    if (!started_) return e;
    sink.onEvent(StreamEvent::failure(e));
    done_ = true;
    return {};
  }
  ensureStarted(sink, stringField(chunk, "id"));
  if (const auto* choices = common::arrayField(chunk, "choices")) {
    for (const auto& c : *choices) {
      const auto* choice = c.if_object();
      if (!choice) return common::badUpstream("A completion choice is not an object.");
      const int64_t index = common::intField(*choice, "index");
      const auto choiceIndex = static_cast<int32_t>(index);
      finished_.try_emplace(index, false);
      if (const auto text = stringField(*choice, "text"); !text.empty()) {
        sink.onEvent(StreamEvent::delta(StreamEvent::Kind::kText, text, choiceIndex));
      }
      if (const auto finish = stringField(*choice, "finish_reason"); !finish.empty()) {
        finished_[index] = true;
        sink.onEvent(StreamEvent::finish(finish, choiceIndex));
      }
    }
  }
  if (const auto* u = chunk.if_contains("usage"); u && u->is_object()) {
    readOpenAiUsage(*u, usage_);
    sink.onEvent(StreamEvent::usageIs(usage_));
  }
  return {};
}

}  // namespace switchyard
