#include "api/anthropic/messages_response.hpp"

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <charconv>

#include "api/anthropic/messages_answer.hpp"
#include "core/json_escape.hpp"

namespace switchyard {
namespace {

namespace json = boost::json;

Error badUpstream(std::string message) {
  return Error::make(ErrorClass::kBadUpstream, std::move(message));
}

std::string_view stringOr(const json::object& o, std::string_view key, std::string_view def = {}) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string_view(v->get_string()) : def;
}

// Some providers send content as an array of parts instead of a string.
std::string contentText(const json::value* v) {
  if (!v) return {};
  if (v->is_string()) return std::string(v->get_string());
  std::string text;
  if (const auto* parts = v->if_array()) {
    for (const auto& p : *parts) {
      if (const auto* part = p.if_object()) text += stringOr(*part, "text");
    }
  }
  return text;
}

// Reasoning text: reasoning_content (DeepSeek, xAI, vLLM) or reasoning (OpenRouter, Groq).
std::string_view reasoningText(const json::object& o) {
  std::string_view r = stringOr(o, "reasoning_content");
  return r.empty() ? stringOr(o, "reasoning") : r;
}

// The stop sequence that ended the answer, when the upstream says which (vLLM and others put the
// matched string in choice.stop_reason; OpenAI itself does not say).
std::string matchedStop(const json::object& choice, const std::vector<std::string>& stops) {
  const std::string_view s = stringOr(choice, "stop_reason");
  if (s.empty()) return {};
  for (const auto& stop : stops) {
    if (stop == s) return stop;
  }
  return {};
}

}  // namespace

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

Result<std::string> encodeAnthropicResponse(const ApiRequest& req, std::string_view openAiBody) {
  boost::system::error_code ec;
  json::value root = json::parse(openAiBody, ec);
  if (ec || !root.is_object()) return badUpstream("upstream answer is not a JSON object");
  const auto& body = root.get_object();
  const auto* choices = body.if_contains("choices");
  if (!choices || !choices->is_array() || choices->get_array().empty() ||
      !choices->get_array()[0].is_object()) {
    return badUpstream("upstream answer has no choices");
  }
  const auto& choice = choices->get_array()[0].get_object();
  const auto* msgValue = choice.if_contains("message");
  if (!msgValue || !msgValue->is_object()) return badUpstream("upstream choice has no message");
  const auto& msg = msgValue->get_object();

  json::array content;
  if (const std::string_view thinking = reasoningText(msg); !thinking.empty()) {
    content.push_back(
        json::object{{"type", "thinking"}, {"thinking", thinking}, {"signature", ""}});
  }
  const std::string text = contentText(msg.if_contains("content"));
  if (!text.empty()) content.push_back(json::object{{"type", "text"}, {"text", text}});
  const std::string_view refusal = stringOr(msg, "refusal");
  if (!refusal.empty()) content.push_back(json::object{{"type", "text"}, {"text", refusal}});

  bool toolCalls = false;
  if (const auto* calls = msg.if_contains("tool_calls"); calls && calls->is_array()) {
    int64_t n = 0;
    for (const auto& c : calls->get_array()) {
      const auto* call = c.if_object();
      const auto* fnValue = call ? call->if_contains("function") : nullptr;
      if (!fnValue || !fnValue->is_object())
        return badUpstream("upstream tool call has no function");
      const auto& fn = fnValue->get_object();
      const std::string_view name = stringOr(fn, "name");
      if (name.empty()) return badUpstream("upstream tool call has no name");
      const std::string_view arguments = stringOr(fn, "arguments");
      json::value input = json::object();
      if (!arguments.empty()) {
        input = json::parse(arguments, ec);
        if (ec || !input.is_object()) {
          return badUpstream("upstream tool call arguments are not a JSON object");
        }
      }
      std::string id(stringOr(*call, "id"));
      if (id.empty()) id = "toolu_" + std::to_string(n);
      ++n;
      content.push_back(json::object{{"type", "tool_use"},
                                     {"id", std::move(id)},
                                     {"name", name},
                                     {"input", std::move(input)}});
      toolCalls = true;
    }
  }

  const std::string stop = matchedStop(choice, stopSequencesOf(req));
  const std::string_view reason =
      stopReason(stringOr(choice, "finish_reason"), toolCalls, !refusal.empty(), !stop.empty());
  anthropic_map::AnthropicTokenCounts usage;
  if (const auto* u = body.if_contains("usage"); u && u->is_object()) {
    usage = anthropic_map::usageFromOpenAi(u->get_object());
  }
  json::object out{{"id", messageId(stringOr(body, "id"))},
                   {"type", "message"},
                   {"role", "assistant"},
                   {"model", req.model},
                   {"content", std::move(content)},
                   {"stop_reason", reason},
                   {"stop_sequence", reason == "stop_sequence" ? json::value(stop) : nullptr},
                   {"usage", anthropic_map::toJson(usage)}};
  return json::serialize(out);
}

}  // namespace switchyard
