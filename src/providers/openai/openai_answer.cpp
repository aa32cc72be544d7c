#include "providers/openai/openai_answer.hpp"

#include <boost/json.hpp>

#include "providers/common/scratch_json.hpp"
#include "providers/common/thought_signature.hpp"
#include "providers/openai/openai_fields.hpp"
#include "providers/openai/openai_usage.hpp"

namespace switchyard {

namespace json = boost::json;

namespace {

Error badUpstream(std::string message) {
  return Error::make(ErrorClass::kBadUpstream, std::move(message), {}, "bad_upstream_response");
}

// The choices, checked before anything is emitted.
Result<const json::array*> checkedChoices(const json::object& body) {
  const auto* choices = body.if_contains("choices");
  if (!choices || !choices->is_array() || choices->get_array().empty()) {
    return badUpstream("The upstream answer has no choices.");
  }
  for (const auto& c : choices->get_array()) {
    const auto* choice = c.if_object();
    const auto* message = choice ? choice->if_contains("message") : nullptr;
    if (!message || !message->is_object()) {
      return badUpstream("An upstream answer's choice has no message.");
    }
    const auto* calls = message->get_object().if_contains("tool_calls");
    if (!calls || !calls->is_array()) continue;
    for (const auto& call : calls->get_array()) {
      const auto* fn = call.is_object() ? call.get_object().if_contains("function") : nullptr;
      if (!fn || !fn->is_object() || common::stringField(fn->get_object(), "name").empty()) {
        return badUpstream("An upstream tool call has no function name.");
      }
    }
  }
  return &choices->get_array();
}

void emitMessage(int32_t index, const json::object& choice, EventSink& sink) {
  const auto& message = choice.at("message").get_object();
  emitMessageText(message, index, sink);
  if (const auto* calls = message.if_contains("tool_calls"); calls && calls->is_array()) {
    int32_t position = 0;
    for (const auto& c : calls->get_array()) {
      const auto& call = c.get_object();
      const auto& fn = call.at("function").get_object();
      sink.onEvent(StreamEvent::toolCall(position, common::stringField(call, "id"),
                                         common::stringField(fn, "name"), index,
                                         common::thoughtSignatureOf(call)));
      sink.onEvent(
          StreamEvent::toolArguments(position, common::stringField(fn, "arguments"), index));
      ++position;
    }
  }
  // vLLM and others put the matched stop string in stop_reason.
  sink.onEvent(StreamEvent::finish(common::stringField(choice, "finish_reason"), index,
                                   common::stringField(choice, "stop_reason")));
}

}  // namespace

Result<void> decodeOpenAiAnswer(std::string_view body, EventSink& sink) {
  // Most answers fit the buffer: their tree costs no allocation.
  common::ScratchJson<16384> parsed;
  const auto* root = parsed.parseObject(body);
  if (!root) return badUpstream("The upstream answer is not a JSON object.");
  const auto& answer = *root;
  auto choices = checkedChoices(answer);
  if (!choices) return choices.error();

  Usage usage;
  if (const auto* u = answer.if_contains("usage"); u && u->is_object()) {
    readOpenAiUsage(*u, usage);
    sink.onEvent(StreamEvent::usageIs(usage));
  }
  const auto* created = answer.if_contains("created");
  sink.onEvent(StreamEvent::start(common::stringField(answer, "id"),
                                  common::stringField(answer, "model"),
                                  created && created->is_int64() ? created->get_int64() : 0));
  int32_t position = 0;
  for (const auto& c : **choices) {
    const auto& choice = c.get_object();
    int32_t index = position++;
    if (const auto* i = choice.if_contains("index"); i && i->is_int64()) {
      index = static_cast<int32_t>(i->get_int64());
    }
    emitMessage(index, choice, sink);
  }
  sink.onEvent(StreamEvent::end());
  return {};
}

}  // namespace switchyard
