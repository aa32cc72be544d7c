#include "api/openai/responses_request_input.hpp"

#include <boost/json/object.hpp>

namespace switchyard::responses_in {

namespace json = boost::json;

namespace {

// One content part of a user, system or developer message as a chat content part; none for a
// part only the Responses API can carry (noted in `left`).
Result<std::optional<json::object>> inputPart(const json::object& part, const std::string& path,
                                              LeftOut& left) {
  auto type = requiredString(part, path, "type");
  if (!type) return type.error();
  if (*type == "input_text" || *type == "output_text") {
    auto text = requiredString(part, path, "text");
    if (!text) return text.error();
    return json::object{{"type", "text"}, {"text", *text}};
  }
  if (*type == "input_image") {
    auto url = optionalString(part, path, "image_url");
    if (!url) return url.error();
    if (!*url) {
      left.add(unsupported(member(path, "file_id"), "an image given by file id"));
      return std::nullopt;
    }
    json::object image{{"url", (*url)->get_string()}};
    auto detail = optionalString(part, path, "detail");
    if (!detail) return detail.error();
    if (*detail) image["detail"] = (*detail)->get_string();
    return json::object{{"type", "image_url"}, {"image_url", std::move(image)}};
  }
  left.add(unsupported(member(path, "type"), "content part type '" + std::string(*type) + "'"));
  return std::nullopt;
}

// A message's content in chat form: a string stays one, and so do text-only parts (joined);
// anything else stays a list of parts.
Result<json::value> messageContent(const json::value& content, const std::string& path,
                                   bool assistant, LeftOut& left) {
  if (content.is_string()) return json::value(content.get_string());
  if (!content.is_array()) return wrongType(path, "a string or an array", content);
  json::array parts;
  bool onlyText = true;
  std::string text;
  size_t i = 0;
  for (const auto& p : content.get_array()) {
    const std::string partPath = element(path, i++);
    if (!p.is_object()) return wrongType(partPath, "an object", p);
    const auto& part = p.get_object();
    if (assistant) {
      // What the model said before: output_text and refusal parts, read as text.
      auto type = requiredString(part, partPath, "type");
      if (!type) return type.error();
      const bool refusal = *type == "refusal";
      if (!refusal && *type != "output_text" && *type != "input_text") {
        return invalidValue(member(partPath, "type"),
                            "an assistant message holds output_text and refusal parts.");
      }
      auto t = requiredString(part, partPath, refusal ? "refusal" : "text");
      if (!t) return t.error();
      text += *t;
      continue;
    }
    auto converted = inputPart(part, partPath, left);
    if (!converted) return converted.error();
    if (!*converted) continue;
    if ((**converted)["type"] != "text") onlyText = false;
    parts.push_back(std::move(**converted));
  }
  if (assistant) return json::value(json::string(text));
  if (!onlyText) return json::value(std::move(parts));
  for (const auto& p : parts) text += p.get_object().at("text").get_string();
  return json::value(json::string(text));
}

// The text of a function_call_output's output (a string, or input_text parts).
Result<std::string> toolOutput(const json::value& output, const std::string& path, LeftOut& left) {
  if (output.is_string()) return std::string(output.get_string());
  if (!output.is_array()) return wrongType(path, "a string or an array", output);
  std::string text;
  size_t i = 0;
  for (const auto& p : output.get_array()) {
    const std::string partPath = element(path, i++);
    if (!p.is_object()) return wrongType(partPath, "an object", p);
    auto type = requiredString(p.get_object(), partPath, "type");
    if (!type) return type.error();
    if (*type != "input_text") {
      // Chat tool messages carry text only.
      left.add(unsupported(member(partPath, "type"),
                           "a function_call_output part of type '" + std::string(*type) + "'"));
      continue;
    }
    auto t = requiredString(p.get_object(), partPath, "text");
    if (!t) return t.error();
    text += *t;
  }
  return text;
}

class Conversation {
 public:
  json::array messages;

  void add(json::object message) {
    assistantLast_ = message["role"] == "assistant";
    messages.push_back(std::move(message));
  }
  // Function calls join the assistant message right before them (reasoning items aside), as
  // chat's tool_calls; a tool message or a user message ends that turn.
  void addToolCall(json::object call) {
    if (!assistantLast_) add(json::object{{"role", "assistant"}, {"content", nullptr}});
    auto& last = messages.back().get_object();
    auto& calls = last["tool_calls"];
    if (!calls.is_array()) calls = json::array();
    calls.get_array().push_back(std::move(call));
  }

 private:
  bool assistantLast_ = false;
};

Result<void> convertItem(const json::object& item, const std::string& path, Conversation& out,
                         LeftOut& left) {
  auto typeField = optionalString(item, path, "type");
  if (!typeField) return typeField.error();
  const std::string_view type =
      *typeField ? std::string_view((*typeField)->get_string()) : std::string_view("message");
  if (type == "message") {
    auto role = requiredString(item, path, "role");
    if (!role) return role.error();
    if (*role != "user" && *role != "assistant" && *role != "system" && *role != "developer") {
      return invalidValue(member(path, "role"),
                          "expected one of 'user', 'assistant', 'system' or 'developer'.");
    }
    const auto* content = item.if_contains("content");
    if (!content || content->is_null()) return missing(member(path, "content"));
    const bool assistant = *role == "assistant";
    auto converted = messageContent(*content, member(path, "content"), assistant, left);
    if (!converted) return converted.error();
    out.add(json::object{{"role", *role == "developer" ? std::string_view("system") : *role},
                         {"content", std::move(*converted)}});
    return {};
  }
  if (type == "function_call") {
    auto callId = requiredString(item, path, "call_id");
    if (!callId) return callId.error();
    auto name = requiredString(item, path, "name");
    if (!name) return name.error();
    auto arguments = requiredString(item, path, "arguments");
    if (!arguments) return arguments.error();
    out.addToolCall(
        json::object{{"id", *callId},
                     {"type", "function"},
                     {"function", json::object{{"name", *name}, {"arguments", *arguments}}}});
    return {};
  }
  if (type == "function_call_output") {
    auto callId = requiredString(item, path, "call_id");
    if (!callId) return callId.error();
    const auto* output = item.if_contains("output");
    if (!output || output->is_null()) return missing(member(path, "output"));
    auto text = toolOutput(*output, member(path, "output"), left);
    if (!text) return text.error();
    out.add(json::object{{"role", "tool"}, {"tool_call_id", *callId}, {"content", *text}});
    return {};
  }
  if (type == "reasoning") {
    // Dropped: chat-format backends reject or ignore reasoning in their input.
    return {};
  }
  left.add(unsupported(member(path, "type"), "input item type '" + std::string(type) + "'"));
  return {};
}

}  // namespace

Result<json::array> convertInput(const json::value& input, const json::value* instructions,
                                 LeftOut& left) {
  Conversation out;
  if (instructions && !instructions->is_null()) {
    if (!instructions->is_string()) return wrongType("instructions", "a string", *instructions);
    if (!instructions->get_string().empty()) {
      out.add(json::object{{"role", "system"}, {"content", instructions->get_string()}});
    }
  }
  if (input.is_string()) {
    out.add(json::object{{"role", "user"}, {"content", input.get_string()}});
    return std::move(out.messages);
  }
  if (!input.is_array()) return wrongType("input", "a string or an array", input);
  size_t i = 0;
  for (const auto& v : input.get_array()) {
    const std::string path = element("input", i++);
    if (!v.is_object()) return wrongType(path, "an object", v);
    if (auto r = convertItem(v.get_object(), path, out, left); !r) return r.error();
  }
  // Only items a translation leaves out (an item_reference) still make a request for a native
  // upstream; the others answer with what was left out.
  if (out.messages.empty() && !left.any()) {
    return invalidValue("input", "at least one input item is required.");
  }
  return std::move(out.messages);
}

}  // namespace switchyard::responses_in
