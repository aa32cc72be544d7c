// OpenAI request bodies → Cohere Chat v2 and Embed v2 bodies.

#include <array>

#include "providers/cohere/cohere_adapter.hpp"
#include "providers/common/content.hpp"
#include "providers/common/errors.hpp"
#include "providers/common/json_fields.hpp"
#include "providers/common/request_params.hpp"

namespace switchyard::cohere {

namespace json = boost::json;
using common::arrayField;
using common::badRequest;
using common::objectField;
using common::stringField;

namespace {

constexpr std::string_view kProvider = "Cohere";

constexpr std::array<std::string_view, 6> kUnsupported = {
    "logit_bias", "logprobs", "top_logprobs", "audio", "modalities", "prediction"};

Result<json::value> userContent(const json::value& content) {
  if (content.is_string()) return json::value(content.get_string());
  const auto* parts = content.if_array();
  if (!parts)
    return badRequest("A message content must be a string or an array of parts.", "messages");
  json::array out;
  for (const auto& p : *parts) {
    const auto* part = p.if_object();
    if (!part) return badRequest("A content part must be an object.", "messages");
    const std::string_view type = stringField(*part, "type");
    if (type == "text") {
      out.emplace_back(json::object{{"type", "text"}, {"text", stringField(*part, "text")}});
    } else if (type == "image_url") {
      json::value image = json::object{};
      if (const auto* i = part->if_contains("image_url")) {
        image = i->is_string() ? json::value(json::object{{"url", i->get_string()}}) : *i;
      }
      out.emplace_back(json::object{{"type", "image_url"}, {"image_url", std::move(image)}});
    } else {
      return badRequest(
          "Cohere does not support content parts of type '" + std::string(type) + "'.", "messages");
    }
  }
  return json::value(std::move(out));
}

Result<json::object> assistantMessage(const json::object& m) {
  json::object out{{"role", "assistant"}};
  std::string text;
  if (const auto* c = m.if_contains("content")) text = common::contentText(*c);
  const auto* calls = arrayField(m, "tool_calls");
  if (calls && !calls->empty()) {
    json::array list;
    for (const auto& c : *calls) {
      const auto* call = c.if_object();
      const auto* fn = call ? objectField(*call, "function") : nullptr;
      if (!fn) return badRequest("A tool call must have a function.", "messages");
      list.emplace_back(
          json::object{{"id", stringField(*call, "id")},
                       {"type", "function"},
                       {"function", json::object{{"name", stringField(*fn, "name")},
                                                 {"arguments", stringField(*fn, "arguments")}}}});
    }
    out["tool_calls"] = std::move(list);
    // Text beside tool calls is Cohere's tool plan (and comes back as content, see fromChat).
    if (!text.empty()) out["tool_plan"] = text;
  } else {
    out["content"] = text;
  }
  return out;
}

}  // namespace

Result<json::object> toChat(const json::object& body, std::string_view model, bool dropParams) {
  if (auto ok = common::refuseUnsupported(body, kUnsupported, kProvider, dropParams); !ok) {
    return ok.error();
  }
  if (auto ok = common::refuseSeveralChoices(body, kProvider, dropParams); !ok) return ok.error();
  auto messagesField = common::chatMessages(body);
  if (!messagesField) return messagesField.error();
  const json::array* list = *messagesField;
  json::array messages;
  for (const auto& item : *list) {
    const auto* m = item.if_object();
    if (!m) return badRequest("Each message must be an object.", "messages");
    const std::string_view role = stringField(*m, "role");
    const json::value* content = m->if_contains("content");
    if (role == "system" || role == "developer") {
      messages.emplace_back(json::object{
          {"role", "system"}, {"content", content ? common::contentText(*content) : ""}});
    } else if (role == "user") {
      if (!content) return badRequest("A user message needs content.", "messages");
      auto c = userContent(*content);
      if (!c) return c.error();
      messages.emplace_back(json::object{{"role", "user"}, {"content", std::move(*c)}});
    } else if (role == "assistant") {
      auto a = assistantMessage(*m);
      if (!a) return a.error();
      messages.emplace_back(std::move(*a));
    } else if (role == "tool") {
      messages.emplace_back(
          json::object{{"role", "tool"},
                       {"tool_call_id", stringField(*m, "tool_call_id")},
                       {"content", content ? common::contentText(*content) : ""}});
    } else {
      return badRequest("Cohere does not support messages with role '" + std::string(role) + "'.",
                        "messages");
    }
  }

  json::object out{{"model", model}, {"messages", std::move(messages)}};
  if (const auto* s = body.if_contains("stream"); s && s->is_bool() && s->get_bool()) {
    out["stream"] = true;
  }
  auto copyNumber = [&](std::string_view from, std::string_view to) {
    if (const auto* v = body.if_contains(from); v && v->is_number()) out[to] = *v;
  };
  copyNumber("temperature", "temperature");
  copyNumber("top_p", "p");
  copyNumber("top_k", "k");
  copyNumber("seed", "seed");
  copyNumber("frequency_penalty", "frequency_penalty");
  copyNumber("presence_penalty", "presence_penalty");
  copyNumber("max_tokens", "max_tokens");
  copyNumber("max_completion_tokens", "max_tokens");
  if (auto stop = common::stopSequences(body)) out["stop_sequences"] = std::move(*stop);

  if (const auto* rf = objectField(body, "response_format")) {
    const std::string_view type = stringField(*rf, "type");
    if (type == "json_object") {
      out["response_format"] = json::object{{"type", "json_object"}};
    } else if (type == "json_schema") {
      json::object f{{"type", "json_object"}};
      if (const auto* js = objectField(*rf, "json_schema")) {
        if (const auto* schema = js->if_contains("schema")) f["json_schema"] = *schema;
      }
      out["response_format"] = std::move(f);
    }
  }

  std::string_view forced;
  if (const auto* choice = body.if_contains("tool_choice")) {
    if (choice->is_string()) {
      if (choice->get_string() == "none") out["tool_choice"] = "NONE";
      if (choice->get_string() == "required") out["tool_choice"] = "REQUIRED";
    } else if (const auto* obj = choice->if_object()) {
      // Cohere cannot name a tool: offer only that one and require a call.
      if (const auto* fn = objectField(*obj, "function")) forced = stringField(*fn, "name");
      out["tool_choice"] = "REQUIRED";
    }
  }
  if (const auto* tools = arrayField(body, "tools"); tools && !tools->empty()) {
    json::array list;
    for (const auto& t : *tools) {
      const auto* tool = t.if_object();
      const auto* fn = tool ? objectField(*tool, "function") : nullptr;
      if (!fn || stringField(*tool, "type") != "function") {
        return badRequest("Cohere supports only tools of type 'function'.", "tools");
      }
      if (!forced.empty() && stringField(*fn, "name") != forced) continue;
      json::object f{{"name", stringField(*fn, "name")}};
      if (const auto d = stringField(*fn, "description"); !d.empty()) f["description"] = d;
      if (const auto* p = fn->if_contains("parameters"); p && p->is_object()) f["parameters"] = *p;
      list.emplace_back(json::object{{"type", "function"}, {"function", std::move(f)}});
    }
    if (list.empty())
      return badRequest("tool_choice names a function that is not in tools.", "tool_choice");
    out["tools"] = std::move(list);
  }

  if (const auto* thinking = objectField(body, "thinking")) {
    json::object t{{"type", stringField(*thinking, "type") == "disabled" ? "disabled" : "enabled"}};
    if (common::hasNumber(*thinking, "budget_tokens")) {
      t["token_budget"] = common::intField(*thinking, "budget_tokens");
    }
    out["thinking"] = std::move(t);
  }
  return out;
}

Result<json::object> toEmbed(const json::object& body, std::string_view model) {
  json::array texts;
  const auto* input = body.if_contains("input");
  if (input && input->is_string()) {
    texts.emplace_back(input->get_string());
  } else if (input && input->is_array()) {
    for (const auto& v : input->get_array()) {
      if (!v.is_string())
        return badRequest("Cohere embeddings take text inputs, not token arrays.", "input");
      texts.emplace_back(v.get_string());
    }
  }
  if (texts.empty())
    return badRequest("input must be a string or a non-empty array of strings.", "input");
  std::string_view inputType = stringField(body, "input_type");
  if (inputType.empty()) inputType = "search_document";
  json::object out{{"model", model},
                   {"texts", std::move(texts)},
                   {"input_type", inputType},
                   {"embedding_types", json::array{"float"}}};
  if (const auto* dims = body.if_contains("dimensions"); dims && dims->is_number()) {
    // Only embed-v4 takes output_dimension; older models refuse it upstream.
    out["output_dimension"] = *dims;
  }
  return out;
}

}  // namespace switchyard::cohere
