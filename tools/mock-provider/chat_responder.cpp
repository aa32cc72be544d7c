#include "tools/mock-provider/chat_responder.hpp"

#include <boost/json/serialize.hpp>

namespace switchyard::mock {
namespace json = boost::json;

namespace {

constexpr std::string_view kFingerprint = "fp_mock";

const json::object* functionOf(const json::value& tool) {
  const auto* obj = tool.if_object();
  if (obj == nullptr) return nullptr;
  const auto* fn = obj->if_contains("function");
  return fn != nullptr ? fn->if_object() : nullptr;
}

std::string_view stringField(const json::object& obj, std::string_view key) {
  const auto* v = obj.if_contains(key);
  return v != nullptr && v->is_string() ? std::string_view(v->get_string()) : std::string_view();
}

int64_t promptTokens(const json::object& body) {
  size_t chars = 0;
  if (const auto* messages = body.if_contains("messages"); messages && messages->is_array()) {
    for (const auto& m : messages->get_array()) {
      if (const auto* obj = m.if_object()) {
        if (const auto* content = obj->if_contains("content")) chars += contentChars(*content);
      }
    }
  }
  return approxTokens(chars);
}

json::object usageObject(int64_t prompt, int64_t completion) {
  return json::object{
      {"prompt_tokens", prompt},
      {"completion_tokens", completion},
      {"total_tokens", prompt + completion},
      {"prompt_tokens_details", json::object{{"cached_tokens", 0}, {"audio_tokens", 0}}},
      {"completion_tokens_details", json::object{{"reasoning_tokens", 0},
                                                 {"audio_tokens", 0},
                                                 {"accepted_prediction_tokens", 0},
                                                 {"rejected_prediction_tokens", 0}}}};
}

// Splits tool arguments into the small fragments OpenAI streams, never inside a UTF-8 sequence.
std::vector<std::string> argumentFragments(std::string_view args) {
  constexpr size_t kFragment = 6;
  std::vector<std::string> out;
  size_t i = 0;
  while (i < args.size()) {
    size_t end = std::min(args.size(), i + kFragment);
    while (end < args.size() && (static_cast<unsigned char>(args[end]) & 0xC0) == 0x80) ++end;
    out.emplace_back(args.substr(i, end - i));
    i = end;
  }
  return out;
}

// Streamed chunks share everything but the delta and finish_reason, so they are assembled from
// two precomputed halves instead of serializing a JSON object per token.
class ChunkWriter {
 public:
  ChunkWriter(const AnswerContext& ctx, std::string_view model, bool includeUsage, bool obfuscation)
      : includeUsage_(includeUsage), obfuscation_(obfuscation) {
    prefix_ = R"({"id":"chatcmpl-)" + ctx.id + R"(","object":"chat.completion.chunk","created":)" +
              std::to_string(ctx.created) + R"(,"model":)" + jsonQuote(model) +
              R"(,"service_tier":"default","system_fingerprint":")" + std::string(kFingerprint) +
              R"(","choices":)";
  }

  void choice(std::string& out, std::string_view delta, std::string_view finishReason) const {
    std::string payload = prefix_;
    payload.append(R"([{"index":0,"delta":)");
    payload.append(delta);
    payload.append(R"(,"logprobs":null,"finish_reason":)");
    payload.append(finishReason.empty() ? std::string("null") : jsonQuote(finishReason));
    payload.append("}]");
    if (includeUsage_) payload.append(R"(,"usage":null)");
    finish(payload);
    appendEvent(out, payload);
  }

  void usage(std::string& out, const json::object& usage) const {
    std::string payload = prefix_;
    payload.append(R"([],"usage":)");
    payload.append(json::serialize(usage));
    finish(payload);
    appendEvent(out, payload);
  }

 private:
  void finish(std::string& payload) const {
    // OpenAI pads chunks with a random "obfuscation" string unless the client opts out.
    if (obfuscation_) payload.append(R"(,"obfuscation":"mock")");
    payload.push_back('}');
  }

  std::string prefix_;
  bool includeUsage_;
  bool obfuscation_;
};

}  // namespace

json::value valueForSchema(const json::value& schema, int depth) {
  const auto* obj = schema.if_object();
  if (obj == nullptr || depth > 8) return nullptr;
  if (const auto* e = obj->if_contains("enum"); e && e->is_array() && !e->get_array().empty()) {
    return e->get_array().front();
  }
  if (const auto* c = obj->if_contains("const")) return *c;
  std::string_view type;
  if (const auto* t = obj->if_contains("type")) {
    if (t->is_string()) {
      type = t->get_string();
    } else if (t->is_array()) {
      for (const auto& each : t->get_array()) {
        if (each.is_string() && each.get_string() != "null") {
          type = each.get_string();
          break;
        }
      }
    }
  } else if (obj->contains("properties")) {
    type = "object";
  }
  if (type == "string") return "mock";
  if (type == "integer" || type == "number") return 1;
  if (type == "boolean") return true;
  if (type == "array") return json::array();
  if (type == "null") return nullptr;
  if (type != "object") return nullptr;
  json::object out;
  const auto* props = obj->if_contains("properties");
  const auto* required = obj->if_contains("required");
  if (props && props->is_object() && required && required->is_array()) {
    for (const auto& name : required->get_array()) {
      if (!name.is_string()) continue;
      const auto* prop = props->get_object().if_contains(name.get_string());
      out[name.get_string()] = prop ? valueForSchema(*prop, depth + 1) : json::value("mock");
    }
  }
  return out;
}

std::optional<ToolCall> chooseToolCall(const json::object& body) {
  const auto* tools = body.if_contains("tools");
  if (tools == nullptr || !tools->is_array() || tools->get_array().empty()) return std::nullopt;
  const json::object* chosen = nullptr;
  if (const auto* choice = body.if_contains("tool_choice")) {
    if (choice->is_string() && choice->get_string() == "none") return std::nullopt;
    if (const auto* forced = choice->is_object() ? functionOf(*choice) : nullptr) {
      std::string_view name = stringField(*forced, "name");
      for (const auto& tool : tools->get_array()) {
        const auto* fn = functionOf(tool);
        if (fn && stringField(*fn, "name") == name) chosen = fn;
      }
    }
  }
  if (chosen == nullptr) {
    for (const auto& tool : tools->get_array()) {
      if ((chosen = functionOf(tool)) != nullptr) break;
    }
  }
  if (chosen == nullptr) return std::nullopt;
  ToolCall call;
  call.name = std::string(stringField(*chosen, "name"));
  const auto* params = chosen->if_contains("parameters");
  json::value args = params ? valueForSchema(*params) : json::value(json::object());
  if (!args.is_object()) args = json::object();
  call.arguments = json::serialize(args);
  return call;
}

Answer answerChat(const json::object& body, const AnswerContext& ctx) {
  Answer answer;
  std::string_view model = stringField(body, "model");
  if (model.empty()) model = ctx.modelOverride;
  if (model.empty()) {
    answer.reply = missingParamReply("model");
    return answer;
  }
  const auto* messages = body.if_contains("messages");
  if (messages == nullptr || !messages->is_array()) {
    answer.reply = missingParamReply("messages");
    return answer;
  }

  const int64_t prompt = promptTokens(body);
  auto toolCall = chooseToolCall(body);
  bool truncated = false;
  std::vector<std::string> pieces = toolCall ? argumentFragments(toolCall->arguments)
                                             : answerTokens(ctx, maxTokensOf(body), truncated);
  const std::string finishReason = toolCall ? "tool_calls" : truncated ? "length" : "stop";
  const json::object usage = usageObject(prompt, int64_t(pieces.size()));
  const std::string callId = "call_" + ctx.id.substr(0, 24);

  const auto* stream = body.if_contains("stream");
  answer.stream = stream != nullptr && stream->is_bool() && stream->get_bool();
  if (!answer.stream) {
    json::object message{{"role", "assistant"}};
    if (toolCall) {
      message["content"] = nullptr;
      message["tool_calls"] =
          json::array{json::object{{"id", callId},
                                   {"type", "function"},
                                   {"function", json::object{{"name", toolCall->name},
                                                             {"arguments", toolCall->arguments}}}}};
    } else {
      std::string text;
      for (const auto& t : pieces) text.append(t);
      message["content"] = text;
    }
    message["refusal"] = nullptr;
    message["annotations"] = json::array();
    json::object out{{"id", "chatcmpl-" + ctx.id},
                     {"object", "chat.completion"},
                     {"created", ctx.created},
                     {"model", model},
                     {"choices", json::array{json::object{{"index", 0},
                                                          {"message", std::move(message)},
                                                          {"logprobs", nullptr},
                                                          {"finish_reason", finishReason}}}},
                     {"usage", usage},
                     {"service_tier", "default"},
                     {"system_fingerprint", kFingerprint}};
    answer.reply.body = json::serialize(out);
    return answer;
  }

  const bool includeUsage = streamOption(body, "include_usage");
  const auto* obf = body.if_contains("stream_options");
  bool obfuscation = true;
  if (obf && obf->is_object()) {
    const auto* v = obf->get_object().if_contains("include_obfuscation");
    obfuscation = !(v && v->is_bool() && !v->get_bool());
  }
  ChunkWriter writer(ctx, model, includeUsage, obfuscation);
  StreamPlan& plan = answer.plan;
  plan.content.reserve(pieces.size());
  if (toolCall) {
    writer.choice(plan.head,
                  R"({"role":"assistant","content":null,"tool_calls":[{"index":0,"id":")" + callId +
                      R"(","type":"function","function":{"name":)" + jsonQuote(toolCall->name) +
                      R"(,"arguments":""}}],"refusal":null})",
                  {});
    for (const auto& fragment : pieces) {
      std::string event;
      writer.choice(
          event,
          R"({"tool_calls":[{"index":0,"function":{"arguments":)" + jsonQuote(fragment) + "}}]}",
          {});
      plan.content.push_back(std::move(event));
    }
  } else {
    writer.choice(plan.head, R"({"role":"assistant","content":"","refusal":null})", {});
    for (const auto& token : pieces) {
      std::string event;
      writer.choice(event, R"({"content":)" + jsonQuote(token) + "}", {});
      plan.content.push_back(std::move(event));
    }
  }
  writer.choice(plan.tail, "{}", finishReason);
  if (includeUsage) writer.usage(plan.tail, usage);
  appendEvent(plan.tail, "[DONE]");
  return answer;
}

}  // namespace switchyard::mock
