#include "tools/mock-provider/anthropic_responder.hpp"

#include "tools/mock-provider/chat_responder.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace switchyard::mock {
namespace json = boost::json;

namespace {

constexpr std::string_view kThinking = "The user wants an answer; a short one will do.";
constexpr std::string_view kSignature = "mock-signature-EqQBCkYIBxgCKkB";

std::string_view stringField(const json::object& obj, std::string_view key) {
  const auto* v = obj.if_contains(key);
  return v != nullptr && v->is_string() ? std::string_view(v->get_string()) : std::string_view();
}

std::string_view typeForStatus(unsigned status) {
  switch (status) {
    case 400:
      return "invalid_request_error";
    case 401:
      return "authentication_error";
    case 403:
      return "permission_error";
    case 404:
      return "not_found_error";
    case 413:
      return "request_too_large";
    case 429:
      return "rate_limit_error";
    case 529:
      return "overloaded_error";
    default:
      return status >= 500 ? "api_error" : "invalid_request_error";
  }
}

int64_t promptTokens(const json::object& body) {
  size_t chars = 0;
  if (const auto* system = body.if_contains("system")) chars += contentChars(*system);
  if (const auto* messages = body.if_contains("messages"); messages && messages->is_array()) {
    for (const auto& m : messages->get_array()) {
      if (const auto* obj = m.if_object()) {
        if (const auto* content = obj->if_contains("content")) chars += contentChars(*content);
      }
    }
  }
  return approxTokens(chars);
}

struct ToolUse {
  std::string name;
  std::string input;  // serialized JSON object
  bool forced = false;
};

// tool_choice {"type":"tool","name"} picks that tool, "none" none; else the first custom tool
// (one with an input_schema; Anthropic's server tools are not called by the mock).
std::optional<ToolUse> chooseTool(const json::object& body) {
  const auto* tools = body.if_contains("tools");
  if (tools == nullptr || !tools->is_array()) return std::nullopt;
  std::string_view forced;
  bool any = false;
  if (const auto* choice = body.if_contains("tool_choice"); choice && choice->is_object()) {
    const std::string_view type = stringField(choice->get_object(), "type");
    if (type == "none") return std::nullopt;
    if (type == "tool") forced = stringField(choice->get_object(), "name");
    any = type == "any";
  }
  for (const auto& t : tools->get_array()) {
    const auto* tool = t.if_object();
    if (tool == nullptr || !tool->contains("input_schema")) continue;
    if (!forced.empty() && stringField(*tool, "name") != forced) continue;
    ToolUse use;
    use.name = std::string(stringField(*tool, "name"));
    json::value input = valueForSchema(*tool->if_contains("input_schema"));
    if (!input.is_object()) input = json::object();
    use.input = json::serialize(input);
    use.forced = !forced.empty() || any;
    return use;
  }
  return std::nullopt;
}

bool thinkingEnabled(const json::object& body) {
  const auto* t = body.if_contains("thinking");
  return t && t->is_object() && stringField(t->get_object(), "type") == "enabled";
}

std::vector<std::string> fragments(std::string_view text, size_t size) {
  std::vector<std::string> out;
  for (size_t i = 0; i < text.size();) {
    size_t end = std::min(text.size(), i + size);
    while (end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) ++end;
    out.emplace_back(text.substr(i, end - i));
    i = end;
  }
  return out;
}

void appendSse(std::string& out, std::string_view type, std::string_view data) {
  out.append("event: ");
  out.append(type);
  out.append("\ndata: ");
  out.append(data);
  out.append("\n\n");
}

void appendSse(std::string& out, std::string_view type, const json::object& data) {
  appendSse(out, type, json::serialize(data));
}

std::string deltaEvent(size_t index, std::string_view deltaType, std::string_view field,
                       std::string_view value) {
  std::string out;
  appendSse(out, "content_block_delta",
            R"({"type":"content_block_delta","index":)" + std::to_string(index) +
                R"(,"delta":{"type":")" + std::string(deltaType) + R"(",")" + std::string(field) +
                R"(":)" + jsonQuote(value) + "}}");
  return out;
}

void blockStop(std::string& out, size_t index) {
  appendSse(out, "content_block_stop",
            R"({"type":"content_block_stop","index":)" + std::to_string(index) + "}");
}

}  // namespace

Reply anthropicErrorReply(unsigned status, std::string_view message, std::string_view type) {
  const json::object body{
      {"type", "error"},
      {"error",
       json::object{{"type", type.empty() ? typeForStatus(status) : type}, {"message", message}}},
      {"request_id", "req_mock"}};
  return Reply{status, json::serialize(body), 0};
}

Reply anthropicStatusReply(unsigned status, int retryAfterSeconds) {
  std::string_view message = "Mock error.";
  switch (status) {
    case 401:
      message = "invalid x-api-key";
      break;
    case 403:
      message = "Your API key does not have permission to use the specified resource.";
      break;
    case 404:
      message = "model: mock model not found";
      break;
    case 413:
      message = "Request exceeds the maximum allowed number of bytes.";
      break;
    case 429:
      message = "This request would exceed the rate limit for your organization. (mock provider)";
      break;
    case 529:
      message = "Overloaded";
      break;
    default:
      if (status >= 500) message = "Internal server error";
  }
  Reply r = anthropicErrorReply(status, message);
  if (status == 429 || status == 503 || status == 529) r.retryAfterSeconds = retryAfterSeconds;
  return r;
}

std::optional<Reply> anthropicAuthFailure(const boost::beast::http::fields& headers,
                                          const std::string& requiredKey) {
  if (requiredKey.empty()) return std::nullopt;
  auto it = headers.find("x-api-key");
  if (it == headers.end()) return anthropicErrorReply(401, "x-api-key header is required");
  if (it->value() != requiredKey) return anthropicErrorReply(401, "invalid x-api-key");
  return std::nullopt;
}

Answer answerAnthropicMessages(const json::object& body, const AnswerContext& ctx) {
  Answer answer;
  const std::string_view model = stringField(body, "model");
  if (model.empty()) {
    answer.reply = anthropicErrorReply(400, "model: Field required");
    return answer;
  }
  const auto* messages = body.if_contains("messages");
  if (messages == nullptr || !messages->is_array()) {
    answer.reply = anthropicErrorReply(400, "messages: Field required");
    return answer;
  }
  const int64_t maxTokens = maxTokensOf(body);
  if (maxTokens < 1) {
    answer.reply = anthropicErrorReply(400, "max_tokens: Field required");
    return answer;
  }

  const int64_t prompt = promptTokens(body);
  const bool thinking = thinkingEnabled(body);
  const auto tool = chooseTool(body);
  // Without a forced choice Claude usually says what it is about to do before the call.
  const std::string preface = tool && !tool->forced ? "I'll use the " + tool->name + " tool." : "";
  bool truncated = false;
  const std::vector<std::string> pieces =
      tool ? fragments(tool->input, 8) : answerTokens(ctx, maxTokens, truncated);
  const std::string stopReason = tool ? "tool_use" : truncated ? "max_tokens" : "end_turn";
  const int64_t output = int64_t(pieces.size()) + (thinking ? 12 : 0) + (preface.empty() ? 0 : 8);
  const std::string id = "msg_mock" + ctx.id.substr(0, 20);

  const auto* stream = body.if_contains("stream");
  answer.stream = stream != nullptr && stream->is_bool() && stream->get_bool();
  if (!answer.stream) {
    json::array content;
    if (thinking) {
      content.push_back(
          json::object{{"type", "thinking"}, {"thinking", kThinking}, {"signature", kSignature}});
    }
    if (!preface.empty()) content.push_back(json::object{{"type", "text"}, {"text", preface}});
    if (tool) {
      content.push_back(json::object{{"type", "tool_use"},
                                     {"id", "toolu_mock" + ctx.id.substr(0, 16)},
                                     {"name", tool->name},
                                     {"input", json::parse(tool->input)}});
    } else {
      std::string text;
      for (const auto& p : pieces) text.append(p);
      content.push_back(json::object{{"type", "text"}, {"text", text}});
    }
    const json::object out{{"id", id},
                           {"type", "message"},
                           {"role", "assistant"},
                           {"model", model},
                           {"content", std::move(content)},
                           {"stop_reason", stopReason},
                           {"stop_sequence", nullptr},
                           {"usage", json::object{{"input_tokens", prompt},
                                                  {"cache_creation_input_tokens", 0},
                                                  {"cache_read_input_tokens", 0},
                                                  {"output_tokens", output},
                                                  {"service_tier", "standard"}}}};
    answer.reply.body = json::serialize(out);
    return answer;
  }

  StreamPlan& plan = answer.plan;
  appendSse(plan.head, "message_start",
            json::object{
                {"type", "message_start"},
                {"message", json::object{{"id", id},
                                         {"type", "message"},
                                         {"role", "assistant"},
                                         {"model", model},
                                         {"content", json::array()},
                                         {"stop_reason", nullptr},
                                         {"stop_sequence", nullptr},
                                         {"usage", json::object{{"input_tokens", prompt},
                                                                {"cache_creation_input_tokens", 0},
                                                                {"cache_read_input_tokens", 0},
                                                                {"output_tokens", 1}}}}}});
  size_t index = 0;
  if (thinking) {
    appendSse(
        plan.head, "content_block_start",
        R"({"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":"","signature":""}})");
    plan.head.append(deltaEvent(index, "thinking_delta", "thinking", kThinking));
    plan.head.append(deltaEvent(index, "signature_delta", "signature", kSignature));
    blockStop(plan.head, index++);
  }
  if (!preface.empty()) {
    appendSse(plan.head, "content_block_start",
              R"({"type":"content_block_start","index":)" + std::to_string(index) +
                  R"(,"content_block":{"type":"text","text":""}})");
    plan.head.append(deltaEvent(index, "text_delta", "text", preface));
    blockStop(plan.head, index++);
  }
  if (tool) {
    appendSse(plan.head, "content_block_start",
              R"({"type":"content_block_start","index":)" + std::to_string(index) +
                  R"(,"content_block":{"type":"tool_use","id":"toolu_mock)" + ctx.id.substr(0, 16) +
                  R"(","name":)" + jsonQuote(tool->name) + R"(,"input":{}}})");
  } else {
    appendSse(plan.head, "content_block_start",
              R"({"type":"content_block_start","index":)" + std::to_string(index) +
                  R"(,"content_block":{"type":"text","text":""}})");
  }
  appendSse(plan.head, "ping", R"({"type": "ping"})");
  plan.content.reserve(pieces.size());
  for (const auto& piece : pieces) {
    plan.content.push_back(tool ? deltaEvent(index, "input_json_delta", "partial_json", piece)
                                : deltaEvent(index, "text_delta", "text", piece));
  }
  blockStop(plan.tail, index);
  appendSse(
      plan.tail, "message_delta",
      json::object{{"type", "message_delta"},
                   {"delta", json::object{{"stop_reason", stopReason}, {"stop_sequence", nullptr}}},
                   {"usage", json::object{{"output_tokens", output}}}});
  appendSse(plan.tail, "message_stop", R"({"type":"message_stop"})");
  return answer;
}

Reply answerAnthropicCountTokens(const json::object& body) {
  if (!body.contains("model") || !body.contains("messages")) {
    return anthropicErrorReply(400, "model and messages: Field required", "invalid_request_error");
  }
  return Reply{200, json::serialize(json::object{{"input_tokens", promptTokens(body)}}), 0};
}

}  // namespace switchyard::mock
