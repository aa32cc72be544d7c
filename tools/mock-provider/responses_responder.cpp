#include "tools/mock-provider/responses_responder.hpp"

#include "tools/mock-provider/chat_responder.hpp"

#include <boost/json/serialize.hpp>

namespace switchyard::mock {
namespace json = boost::json;

namespace {

const json::value* member(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v != nullptr && !v->is_null() ? v : nullptr;
}

int64_t inputTokens(const json::object& body) {
  size_t chars = 0;
  if (const auto* i = member(body, "instructions"); i && i->is_string()) {
    chars += i->get_string().size();
  }
  const auto* input = member(body, "input");
  if (input && input->is_string()) chars += input->get_string().size();
  if (input && input->is_array()) {
    for (const auto& item : input->get_array()) {
      const auto* obj = item.if_object();
      if (obj == nullptr) continue;
      for (std::string_view key : {"content", "output", "arguments"}) {
        if (const auto* v = member(*obj, key)) chars += contentChars(*v);
      }
    }
  }
  return approxTokens(chars);
}

// The request's Responses tools and tool_choice in chat's shape, for the chat responder's choice.
json::object asChatTools(const json::object& body) {
  json::array tools;
  if (const auto* t = member(body, "tools"); t && t->is_array()) {
    for (const auto& tool : t->get_array()) {
      const auto* obj = tool.if_object();
      if (obj == nullptr || obj->if_contains("type") == nullptr || obj->at("type") != "function") {
        continue;
      }
      json::object fn{{"name", obj->contains("name") ? obj->at("name") : json::value("")}};
      if (const auto* p = member(*obj, "parameters")) fn["parameters"] = *p;
      tools.push_back(json::object{{"type", "function"}, {"function", std::move(fn)}});
    }
  }
  json::object chat{{"tools", std::move(tools)}};
  if (const auto* c = member(body, "tool_choice")) {
    if (c->is_object() && c->get_object().contains("name")) {
      chat["tool_choice"] = json::object{
          {"type", "function"}, {"function", json::object{{"name", c->get_object().at("name")}}}};
    } else {
      chat["tool_choice"] = *c;
    }
  }
  return chat;
}

bool answersToolOutput(const json::object& body) {
  const auto* input = member(body, "input");
  if (input == nullptr || !input->is_array() || input->get_array().empty()) return false;
  const auto* last = input->get_array().back().if_object();
  return last != nullptr && last->contains("type") && last->at("type") == "function_call_output";
}

const json::value* jsonSchemaOf(const json::object& body) {
  const auto* text = member(body, "text");
  const auto* format = text && text->is_object() ? member(text->get_object(), "format") : nullptr;
  if (format == nullptr || !format->is_object()) return nullptr;
  const auto& f = format->get_object();
  if (!f.contains("type") || f.at("type") != "json_schema") return nullptr;
  return member(f, "schema");
}

// Streamed events are numbered in order; each is "event: <type>\ndata: <json>\n\n".
class EventWriter {
 public:
  void write(std::string& out, std::string_view type, json::object event) {
    event["type"] = type;
    event["sequence_number"] = sequence_++;
    out.append("event: ").append(type).append("\ndata: ");
    out.append(json::serialize(event));
    out.append("\n\n");
  }

 private:
  int64_t sequence_ = 0;
};

}  // namespace

Answer answerResponses(const json::object& body, const AnswerContext& ctx) {
  Answer answer;
  const auto* modelField = member(body, "model");
  std::string model = modelField && modelField->is_string() ? std::string(modelField->get_string())
                                                            : ctx.modelOverride;
  if (model.empty()) {
    answer.reply = missingParamReply("model");
    return answer;
  }
  if (member(body, "input") == nullptr) {
    answer.reply = missingParamReply("input");
    return answer;
  }
  const int64_t input = inputTokens(body);
  std::optional<ToolCall> call;
  if (!answersToolOutput(body)) call = chooseToolCall(asChatTools(body));
  int64_t limit = -1;
  if (const auto* m = member(body, "max_output_tokens"); m && m->is_int64()) limit = m->as_int64();
  bool truncated = false;
  std::vector<std::string> pieces;
  if (call) {
    pieces.push_back(call->arguments);
  } else if (const auto* schema = jsonSchemaOf(body)) {
    pieces.push_back(json::serialize(valueForSchema(*schema)));
  } else {
    pieces = answerTokens(ctx, limit, truncated);
  }
  std::string text;
  for (const auto& p : pieces) text += p;
  const json::object usage{{"input_tokens", input},
                           {"input_tokens_details", json::object{{"cached_tokens", 0}}},
                           {"output_tokens", static_cast<int64_t>(pieces.size())},
                           {"output_tokens_details", json::object{{"reasoning_tokens", 0}}},
                           {"total_tokens", input + static_cast<int64_t>(pieces.size())}};
  const std::string itemId = (call ? "fc_" : "msg_") + ctx.id;
  const std::string callId = "call_" + ctx.id.substr(0, 24);
  auto item = [&](std::string_view status, bool full) {
    if (call) {
      return json::object{{"id", itemId},      {"type", "function_call"},
                          {"status", status},  {"arguments", full ? call->arguments : ""},
                          {"call_id", callId}, {"name", call->name}};
    }
    json::array content;
    if (full) {
      content.push_back(
          json::object{{"type", "output_text"}, {"text", text}, {"annotations", json::array()}});
    }
    return json::object{{"id", itemId},
                        {"type", "message"},
                        {"status", status},
                        {"content", std::move(content)},
                        {"role", "assistant"}};
  };
  const std::string_view status = truncated ? "incomplete" : "completed";
  auto response = [&](std::string_view st, bool done) {
    json::object r{{"id", "resp_" + ctx.id},
                   {"object", "response"},
                   {"created_at", ctx.created},
                   {"status", st},
                   {"error", nullptr},
                   {"incomplete_details",
                    st == "incomplete" ? json::value(json::object{{"reason", "max_output_tokens"}})
                                       : json::value(nullptr)},
                   {"model", model},
                   {"output", done ? json::array{item(truncated ? "incomplete" : "completed", true)}
                                   : json::array()},
                   {"parallel_tool_calls", true},
                   {"tool_choice", member(body, "tool_choice") ? body.at("tool_choice") : "auto"},
                   {"tools", member(body, "tools") ? body.at("tools") : json::array()},
                   {"usage", done ? json::value(usage) : json::value(nullptr)},
                   {"metadata", member(body, "metadata") ? body.at("metadata") : json::object()}};
    return r;
  };

  const auto* stream = member(body, "stream");
  answer.stream = stream != nullptr && stream->is_bool() && stream->get_bool();
  if (!answer.stream) {
    answer.reply.body = json::serialize(response(status, true));
    return answer;
  }
  EventWriter w;
  StreamPlan& plan = answer.plan;
  w.write(plan.head, "response.created",
          json::object{{"response", response("in_progress", false)}});
  w.write(plan.head, "response.in_progress",
          json::object{{"response", response("in_progress", false)}});
  w.write(plan.head, "response.output_item.added",
          json::object{{"output_index", 0}, {"item", item("in_progress", false)}});
  if (!call) {
    w.write(plan.head, "response.content_part.added",
            json::object{{"item_id", itemId},
                         {"output_index", 0},
                         {"content_index", 0},
                         {"part", json::object{{"type", "output_text"},
                                               {"text", ""},
                                               {"annotations", json::array()}}}});
  }
  for (const auto& piece : pieces) {
    std::string event;
    if (call) {
      w.write(event, "response.function_call_arguments.delta",
              json::object{{"item_id", itemId}, {"output_index", 0}, {"delta", piece}});
    } else {
      w.write(event, "response.output_text.delta",
              json::object{{"item_id", itemId},
                           {"output_index", 0},
                           {"content_index", 0},
                           {"delta", piece},
                           {"logprobs", json::array()}});
    }
    plan.content.push_back(std::move(event));
  }
  if (call) {
    w.write(plan.tail, "response.function_call_arguments.done",
            json::object{{"item_id", itemId}, {"output_index", 0}, {"arguments", text}});
  } else {
    w.write(plan.tail, "response.output_text.done",
            json::object{{"item_id", itemId},
                         {"output_index", 0},
                         {"content_index", 0},
                         {"text", text},
                         {"logprobs", json::array()}});
    w.write(plan.tail, "response.content_part.done",
            json::object{{"item_id", itemId},
                         {"output_index", 0},
                         {"content_index", 0},
                         {"part", json::object{{"type", "output_text"},
                                               {"text", text},
                                               {"annotations", json::array()}}}});
  }
  w.write(plan.tail, "response.output_item.done",
          json::object{{"output_index", 0},
                       {"item", item(truncated ? "incomplete" : "completed", true)}});
  w.write(plan.tail, truncated ? "response.incomplete" : "response.completed",
          json::object{{"response", response(status, true)}});
  return answer;
}

Reply answerStoredResponse(boost::beast::http::verb method, std::string_view id,
                           std::string_view action, const AnswerContext& ctx) {
  namespace http = boost::beast::http;
  Reply reply;
  if (action == "cancel") {
    return errorReply(400, "Cannot cancel a synchronous response.", "invalid_request_error");
  }
  if (action == "input_items") {
    reply.body = R"({"object":"list","data":[],"first_id":null,"last_id":null,"has_more":false})";
    return reply;
  }
  if (method == http::verb::delete_) {
    reply.body =
        json::serialize(json::object{{"id", id}, {"object", "response"}, {"deleted", true}});
    return reply;
  }
  reply.body = json::serialize(json::object{
      {"id", id},
      {"object", "response"},
      {"created_at", ctx.created},
      {"status", "completed"},
      {"model", "mock-upstream"},
      {"output", json::array{json::object{
                     {"id", "msg_" + ctx.id},
                     {"type", "message"},
                     {"status", "completed"},
                     {"role", "assistant"},
                     {"content", json::array{json::object{{"type", "output_text"},
                                                          {"text", "stored upstream"},
                                                          {"annotations", json::array()}}}}}}}});
  return reply;
}

}  // namespace switchyard::mock
