#include "api/openai/chat_answer_encoder.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "api/openai/usage_json.hpp"

namespace switchyard {

namespace json = boost::json;

void OpenAiChatAnswerEncoder::onEvent(const StreamEvent& e) {
  using Kind = StreamEvent::Kind;
  Choice& c = choices_[e.choice];
  switch (e.kind) {
    case Kind::kStart:
      id_ = e.id;
      model_ = e.name;
      created_ = e.created;
      break;
    case Kind::kText:
      c.text += e.text;
      break;
    case Kind::kReasoning:
      c.reasoning += e.text;
      break;
    case Kind::kRefusal:
      c.refusal += e.text;
      break;
    case Kind::kReasoningSignature:
      // LiteLLM's thinking_blocks: clients hand signed thinking back on the next turn.
      c.thinkingBlocks.push_back(
          json::object{{"type", "thinking"}, {"thinking", c.reasoning}, {"signature", e.text}});
      break;
    case Kind::kRedactedReasoning:
      c.thinkingBlocks.push_back(json::object{{"type", "redacted_thinking"}, {"data", e.text}});
      break;
    case Kind::kToolCall:
      c.calls[e.index].id = e.id;
      c.calls[e.index].name = e.name;
      c.calls[e.index].signature = e.text;
      break;
    case Kind::kToolArguments:
      c.calls[e.index].arguments += e.text;
      break;
    case Kind::kFinish:
      c.finish = e.text;
      break;
    case Kind::kUsage:
      usage_ = *e.usage;
      break;
    case Kind::kEnd:
      break;
    case Kind::kError:
      if (!failure_) failure_ = *e.error;
      break;
  }
}

Result<std::string> OpenAiChatAnswerEncoder::body() {
  if (failure_) return *failure_;
  json::array choices;
  for (auto& [index, c] : choices_) {
    json::object message{{"role", "assistant"},
                         {"content", c.text.empty() && !c.calls.empty() ? json::value(nullptr)
                                                                        : json::value(c.text)}};
    if (!c.reasoning.empty()) message["reasoning_content"] = c.reasoning;
    if (!c.thinkingBlocks.empty()) message["thinking_blocks"] = std::move(c.thinkingBlocks);
    if (!c.refusal.empty()) message["refusal"] = c.refusal;
    if (!c.calls.empty()) {
      json::array calls;
      for (auto& [position, call] : c.calls) {
        json::object out{
            {"id", call.id},
            {"type", "function"},
            {"function", json::object{{"name", call.name}, {"arguments", call.arguments}}}};
        if (!call.signature.empty()) {
          out["provider_specific_fields"] = json::object{{"thought_signature", call.signature}};
        }
        calls.push_back(std::move(out));
      }
      message["tool_calls"] = std::move(calls);
    }
    choices.push_back(json::object{{"index", index},
                                   {"message", std::move(message)},
                                   {"logprobs", nullptr},
                                   {"finish_reason", c.finish.empty() ? "stop" : c.finish}});
  }
  json::object out{{"id", id_},
                   {"object", "chat.completion"},
                   {"created", created_},
                   {"model", model_},
                   {"choices", std::move(choices)}};
  std::string text = json::serialize(out);
  if (usage_.present) {
    // The usage object is written as every other answer's is; it goes last, as OpenAI's does.
    text.pop_back();
    text.append(",\"usage\":");
    appendOpenAiUsage(text, usage_);
    text.push_back('}');
  }
  return text;
}

}  // namespace switchyard
