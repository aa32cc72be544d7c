#include "tools/mock-provider/cohere_responder.hpp"

#include "tools/mock-provider/chat_responder.hpp"
#include "tools/mock-provider/embeddings.hpp"

#include <boost/json/serialize.hpp>

#include <optional>

namespace switchyard::mock {
namespace json = boost::json;

namespace {

constexpr size_t kEmbeddingDimensions = 16;

std::string_view str(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string_view(v->get_string()) : std::string_view();
}

Reply cohereError(unsigned status, std::string_view message) {
  return Reply{status, R"({"id":"mock-error","message":)" + jsonQuote(message) + "}", 0};
}

// Cohere's SSE events name their type twice: on the event line and in the payload.
void appendCohereEvent(std::string& out, std::string_view type, json::object payload) {
  payload["type"] = type;
  out.append("event: ");
  out.append(type);
  out.append("\ndata: ");
  out.append(json::serialize(payload));
  out.append("\n\n");
}

json::object usageOf(int64_t input, int64_t output) {
  // Cohere bills fewer tokens than it counts: its own prompt template is free.
  return json::object{
      {"billed_units", json::object{{"input_tokens", input}, {"output_tokens", output}}},
      {"tokens", json::object{{"input_tokens", input + 200}, {"output_tokens", output + 2}}},
      {"cached_tokens", 0}};
}

json::object messageDelta(json::object message) {
  return json::object{{"delta", json::object{{"message", std::move(message)}}}};
}

}  // namespace

Answer answerCohereChat(const json::object& body, const AnswerContext& ctx) {
  Answer answer;
  const auto* messages = body.if_contains("messages");
  if (str(body, "model").empty()) {
    answer.reply = cohereError(400, "invalid request: model is required");
    return answer;
  }
  if (messages == nullptr || !messages->is_array() || messages->get_array().empty()) {
    answer.reply = cohereError(400, "invalid request: messages must not be empty");
    return answer;
  }
  size_t chars = 0;
  bool lastIsTool = false;
  for (const auto& m : messages->get_array()) {
    if (const auto* o = m.if_object()) {
      if (const auto* content = o->if_contains("content")) chars += contentChars(*content);
      lastIsTool = str(*o, "role") == "tool";
    }
  }
  const int64_t input = approxTokens(chars);
  // Cohere's tools have OpenAI's shape, so the OpenAI responder's choice applies; a tool result
  // as the last turn gets a text answer.
  std::optional<ToolCall> call = lastIsTool ? std::nullopt : chooseToolCall(body);
  if (const auto* choice = body.if_contains("tool_choice");
      choice && choice->is_string() && choice->get_string() == "NONE") {
    call.reset();
  }
  bool truncated = false;
  const auto tokens =
      call ? std::vector<std::string>{} : answerTokens(ctx, maxTokensOf(body), truncated);
  const std::string plan = call ? "I will use the " + call->name + " tool." : std::string();
  const int64_t output =
      call ? approxTokens(plan.size() + call->arguments.size()) : int64_t(tokens.size());
  const std::string finish = call ? "TOOL_CALL" : truncated ? "MAX_TOKENS" : "COMPLETE";
  const std::string callId = call ? call->name + "_" + ctx.id.substr(0, 12) : std::string();
  const auto* stream = body.if_contains("stream");

  if (stream == nullptr || !stream->is_bool() || !stream->get_bool()) {
    json::object message{{"role", "assistant"}};
    if (call) {
      message["tool_plan"] = plan;
      message["tool_calls"] = json::array{json::object{
          {"id", callId},
          {"type", "function"},
          {"function", json::object{{"name", call->name}, {"arguments", call->arguments}}}}};
    } else {
      std::string text;
      for (const auto& t : tokens) text += t;
      message["content"] = json::array{json::object{{"type", "text"}, {"text", text}}};
    }
    json::object out{{"id", ctx.id},
                     {"message", std::move(message)},
                     {"finish_reason", finish},
                     {"usage", usageOf(input, output)}};
    answer.reply = Reply{200, json::serialize(out), 0};
    return answer;
  }

  answer.stream = true;
  StreamPlan& p = answer.plan;
  json::object start = messageDelta(json::object{{"role", "assistant"},
                                                 {"content", json::array()},
                                                 {"tool_plan", ""},
                                                 {"tool_calls", json::array()},
                                                 {"citations", json::array()}});
  start["id"] = ctx.id;
  appendCohereEvent(p.head, "message-start", std::move(start));
  if (call) {
    json::object planEvent = messageDelta(json::object{{"tool_plan", plan}});
    appendCohereEvent(p.head, "tool-plan-delta", std::move(planEvent));
    json::object callStart = messageDelta(json::object{
        {"tool_calls",
         json::object{{"id", callId},
                      {"type", "function"},
                      {"function", json::object{{"name", call->name}, {"arguments", ""}}}}}});
    callStart["index"] = 0;
    appendCohereEvent(p.head, "tool-call-start", std::move(callStart));
    for (size_t i = 0; i < call->arguments.size(); i += 8) {
      json::object delta = messageDelta(json::object{
          {"tool_calls",
           json::object{{"function", json::object{{"arguments", call->arguments.substr(i, 8)}}}}}});
      delta["index"] = 0;
      std::string event;
      appendCohereEvent(event, "tool-call-delta", std::move(delta));
      p.content.push_back(std::move(event));
    }
    appendCohereEvent(p.tail, "tool-call-end", json::object{{"index", 0}});
  } else {
    json::object contentStart =
        messageDelta(json::object{{"content", json::object{{"type", "text"}, {"text", ""}}}});
    contentStart["index"] = 0;
    appendCohereEvent(p.head, "content-start", std::move(contentStart));
    for (const auto& t : tokens) {
      json::object delta = messageDelta(json::object{{"content", json::object{{"text", t}}}});
      delta["index"] = 0;
      std::string event;
      appendCohereEvent(event, "content-delta", std::move(delta));
      p.content.push_back(std::move(event));
    }
    appendCohereEvent(p.tail, "content-end", json::object{{"index", 0}});
  }
  appendCohereEvent(p.tail, "message-end",
                    json::object{{"delta", json::object{{"finish_reason", finish},
                                                        {"usage", usageOf(input, output)}}}});
  return answer;
}

Reply answerCohereEmbed(const json::object& body) {
  const auto* texts = body.if_contains("texts");
  if (str(body, "model").empty() || texts == nullptr || !texts->is_array() ||
      texts->get_array().empty()) {
    return cohereError(400, "invalid request: model and texts are required");
  }
  if (str(body, "input_type").empty()) {
    return cohereError(400,
                       "invalid request: input_type is required for embed models v3 and higher");
  }
  json::array vectors;
  size_t chars = 0;
  for (const auto& t : texts->get_array()) {
    const std::string_view text = t.is_string() ? std::string_view(t.get_string()) : "";
    chars += text.size();
    json::array values;
    for (float x : embeddingFor(text, kEmbeddingDimensions)) values.emplace_back(double(x));
    vectors.emplace_back(std::move(values));
  }
  json::object out{
      {"id", "mock-embed"},
      {"texts", *texts},
      {"embeddings", json::object{{"float", std::move(vectors)}}},
      {"meta", json::object{{"api_version", json::object{{"version", "2"}}},
                            {"billed_units", json::object{{"input_tokens", approxTokens(chars)}}}}},
      {"response_type", "embeddings_by_type"}};
  return Reply{200, json::serialize(out), 0};
}

}  // namespace switchyard::mock
