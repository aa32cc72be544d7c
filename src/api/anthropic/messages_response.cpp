#include "api/anthropic/messages_response.hpp"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "api/anthropic/messages_answer.hpp"

namespace switchyard {

namespace json = boost::json;

std::vector<std::string> stopSequencesOf(const ApiRequest& req) {
  std::vector<std::string> out;
  const auto* stop = req.body().if_contains("stop");
  if (!stop) return out;
  if (stop->is_string()) out.emplace_back(stop->get_string());
  if (const auto* arr = stop->if_array()) {
    for (const auto& s : *arr) {
      if (s.is_string()) out.emplace_back(s.get_string());
    }
  }
  return out;
}

std::string_view stopReason(std::string_view finishReason, bool toolCalls, bool refusal,
                            bool stopSequence) {
  // Some backends say "stop" after tool calls; the client must still run the tools.
  if (toolCalls && (finishReason.empty() || finishReason == "stop")) return "tool_use";
  if (refusal && (finishReason.empty() || finishReason == "stop")) return "refusal";
  if (stopSequence && finishReason == "stop") return "stop_sequence";
  return anthropic_map::stopReasonFromFinishReason(finishReason);
}

std::string messageId(std::string_view upstreamId) {
  if (upstreamId.starts_with("msg_")) return std::string(upstreamId);  // an Anthropic upstream's
  return "msg_" + std::string(upstreamId.empty() ? std::string_view("switchyard") : upstreamId);
}

anthropic_map::AnthropicTokenCounts anthropicCounts(const Usage& u) {
  // Upstream counts can be anything: a negative one counts as none.
  auto count = [](int64_t n) { return std::max<int64_t>(n, 0); };
  const int64_t prompt = count(u.promptTokens);
  const int64_t completion = count(u.completionTokens);
  const int64_t total = count(u.totalTokens);
  anthropic_map::AnthropicTokenCounts c;
  c.cacheReadInputTokens = std::min(count(u.cachedPromptTokens), prompt);
  c.cacheCreationInputTokens = std::min(count(u.cacheWriteTokens), prompt - c.cacheReadInputTokens);
  c.inputTokens = prompt - c.cacheReadInputTokens - c.cacheCreationInputTokens;
  // Some hosts (xAI) leave reasoning out of completion_tokens but count it in total_tokens:
  // what the model wrote is then total - prompt.
  c.outputTokens = total - prompt > completion ? total - prompt : completion;
  c.thinkingTokens = std::min(count(u.reasoningTokens), c.outputTokens);
  return c;
}

AnthropicAnswerEncoder::AnthropicAnswerEncoder(const ApiRequest& req)
    : model_(req.model), stopSequences_(stopSequencesOf(req)) {}

void AnthropicAnswerEncoder::onEvent(const StreamEvent& e) {
  using Kind = StreamEvent::Kind;
  // Anthropic has no n > 1: only the first choice is encoded.
  if (e.choice != 0) return;
  switch (e.kind) {
    case Kind::kStart:
      id_ = e.id;
      break;
    case Kind::kText:
      text_ += e.text;
      break;
    case Kind::kReasoning:
      reasoning_ += e.text;
      break;
    case Kind::kReasoningSignature:
      signature_ += e.text;
      break;
    case Kind::kRedactedReasoning:
      redacted_.emplace_back(e.text);
      break;
    case Kind::kRefusal:
      refusal_ += e.text;
      break;
    case Kind::kToolCall:
      calls_[e.index].id = e.id;
      calls_[e.index].name = e.name;
      break;
    case Kind::kToolArguments:
      calls_[e.index].arguments += e.text;
      break;
    case Kind::kFinish:
      finish_ = e.text;
      matchedStop_.clear();
      for (const auto& stop : stopSequences_) {
        if (!e.matchedStop.empty() && stop == e.matchedStop) matchedStop_ = stop;
      }
      break;
    case Kind::kUsage:
      usage_ = anthropicCounts(*e.usage);
      break;
    case Kind::kEnd:
      break;
    case Kind::kError:
      if (!failure_) failure_ = *e.error;
      break;
  }
}

Result<std::string> AnthropicAnswerEncoder::body() {
  if (failure_) return *failure_;
  json::array content;
  if (!reasoning_.empty() || !signature_.empty()) {
    content.push_back(
        json::object{{"type", "thinking"}, {"thinking", reasoning_}, {"signature", signature_}});
  }
  for (const auto& data : redacted_) {
    content.push_back(json::object{{"type", "redacted_thinking"}, {"data", data}});
  }
  if (!text_.empty()) content.push_back(json::object{{"type", "text"}, {"text", text_}});
  if (!refusal_.empty()) content.push_back(json::object{{"type", "text"}, {"text", refusal_}});
  int64_t n = 0;
  for (const auto& [position, call] : calls_) {
    json::value input = json::object();
    if (!call.arguments.empty()) {
      boost::system::error_code ec;
      input = json::parse(call.arguments, ec);
      if (ec || !input.is_object()) {
        return Error::make(ErrorClass::kBadUpstream,
                           "upstream tool call arguments are not a JSON object");
      }
    }
    std::string id = call.id.empty() ? "toolu_" + std::to_string(n) : call.id;
    ++n;
    content.push_back(json::object{{"type", "tool_use"},
                                   {"id", std::move(id)},
                                   {"name", call.name},
                                   {"input", std::move(input)}});
  }
  const std::string_view reason =
      stopReason(finish_, !calls_.empty(), !refusal_.empty(), !matchedStop_.empty());
  json::object out{
      {"id", messageId(id_)},
      {"type", "message"},
      {"role", "assistant"},
      {"model", model_},
      {"content", std::move(content)},
      {"stop_reason", reason},
      {"stop_sequence", reason == "stop_sequence" ? json::value(matchedStop_) : nullptr},
      {"usage", anthropic_map::toJson(usage_)}};
  return json::serialize(out);
}

}  // namespace switchyard
