// Ollama's NDJSON stream → canonical events. Each line is a whole JSON object: a piece of the
// message (content, thinking, or complete tool calls), or the last one (done: true) with the
// done_reason and the token counts. An {"error": ...} line ends the stream with that error.

#include "providers/common/answer_ids.hpp"
#include "providers/common/errors.hpp"
#include "providers/common/json_fields.hpp"
#include "providers/common/line_framing.hpp"
#include "providers/common/scratch_json.hpp"
#include "providers/ollama/ollama_adapter.hpp"

namespace switchyard {

namespace json = boost::json;
using common::arrayField;
using common::badUpstream;
using common::objectField;
using common::stringField;

OllamaStreamDecoder::OllamaStreamDecoder(std::string model)
    : id_(common::newCompletionId()), model_(std::move(model)) {}

void OllamaStreamDecoder::ensureStarted(EventSink& sink) {
  if (started_) return;
  started_ = true;
  sink.onEvent(StreamEvent::start(id_, model_, common::unixNow()));
}

Result<void> OllamaStreamDecoder::onBytes(std::string_view bytes, EventSink& sink) {
  return common::feedLines(line_, bytes, [&](std::string_view line) -> Result<void> {
    if (line.find_first_not_of(" \t") == std::string_view::npos) return {};
    return onEvent({}, line, sink);
  });
}

Result<void> OllamaStreamDecoder::onEvent(std::string_view, std::string_view data,
                                          EventSink& sink) {
  if (done_) return {};
  common::ScratchJson<> parsed;
  const auto* root = parsed.parseObject(data);
  if (!root) return badUpstream("The upstream sent a stream line that is not a JSON object.");
  const auto& obj = *root;
  using Kind = StreamEvent::Kind;

  if (const auto error = stringField(obj, "error"); !error.empty()) {
    const Error e = Error::make(ErrorClass::kUpstreamServer, "Ollama failed: " + std::string(error),
                                {}, "upstream_error");
    // Before anything was said the attempt can still be retried elsewhere.
    if (!started_) return e;
    sink.onEvent(StreamEvent::failure(e));
    done_ = true;
    return {};
  }
  ensureStarted(sink);
  if (const auto* message = objectField(obj, "message")) {
    if (const auto thinking = stringField(*message, "thinking"); !thinking.empty()) {
      sink.onEvent(StreamEvent::delta(Kind::kReasoning, thinking));
    }
    if (const auto text = stringField(*message, "content"); !text.empty()) {
      sink.onEvent(StreamEvent::delta(Kind::kText, text));
    }
    // Ollama sends each tool call whole, its arguments an object.
    if (const auto* calls = arrayField(*message, "tool_calls")) {
      for (const auto& c : *calls) {
        const auto* call = c.if_object();
        const auto* fn = call ? objectField(*call, "function") : nullptr;
        if (!fn) return badUpstream("An Ollama tool call has no function.");
        const std::string id = ollama::toolCallId(*call);
        const auto* args = fn->if_contains("arguments");
        const std::string arguments =
            args && args->is_object() ? json::serialize(*args) : std::string("{}");
        const int32_t index = tools_++;
        sink.onEvent(StreamEvent::toolCall(index, id, stringField(*fn, "name")));
        sink.onEvent(StreamEvent::toolArguments(index, arguments));
      }
      calledTools_ = calledTools_ || !calls->empty();
    }
  }
  if (common::boolField(obj, "done")) {
    sink.onEvent(
        StreamEvent::finish(ollama::finishReason(stringField(obj, "done_reason"), calledTools_)));
    // Counts left out (a cached prompt, an older server): a whole answer of unknown usage.
    if (ollama::readUsage(obj, usage_)) sink.onEvent(StreamEvent::usageIs(usage_));
    sink.onEvent(StreamEvent::end());
    done_ = true;
  }
  return {};
}

}  // namespace switchyard
