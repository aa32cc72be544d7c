// OpenAI request bodies → Ollama /api/chat and /api/embed bodies.

#include <array>
#include <map>

#include "providers/common/content.hpp"
#include "providers/common/embeddings.hpp"
#include "providers/common/errors.hpp"
#include "providers/common/json_fields.hpp"
#include "providers/common/request_params.hpp"
#include "providers/ollama/ollama_adapter.hpp"

namespace switchyard::ollama {

namespace json = boost::json;
using common::arrayField;
using common::badRequest;
using common::objectField;
using common::stringField;

namespace {

constexpr std::string_view kProvider = "Ollama";

// OpenAI parameters with no Ollama counterpart: refused unless drop_params.
constexpr std::array<std::string_view, 5> kUnsupported = {"logit_bias", "logprobs", "top_logprobs",
                                                          "audio", "prediction"};

// Ollama's own model options, taken from the body's top level as LiteLLM passes provider
// parameters through (num_ctx: 8192 next to messages).
constexpr std::array<std::string_view, 14> kNativeOptions = {
    "num_ctx",      "num_predict",  "num_keep",  "repeat_penalty", "repeat_last_n",
    "top_k",        "min_p",        "typical_p", "tfs_z",          "mirostat",
    "mirostat_eta", "mirostat_tau", "num_gpu",   "num_thread"};

// Text and images of a user (or system) content: Ollama takes images as bare base64 beside the
// text, so only data: URLs can be sent (it has no way to fetch a URL).
Result<void> readContent(const json::value& content, json::object& out) {
  if (content.is_string() || content.is_null()) {
    out["content"] = content.is_string() ? json::value(content.get_string()) : json::value("");
    return {};
  }
  const auto* parts = content.if_array();
  if (!parts) {
    return badRequest("A message content must be a string or an array of parts.", "messages");
  }
  std::string text;
  json::array images;
  for (const auto& p : *parts) {
    const auto* part = p.if_object();
    if (!part) return badRequest("A content part must be an object.", "messages");
    const std::string_view type = stringField(*part, "type");
    if (type == "text") {
      text += stringField(*part, "text");
    } else if (type == "image_url") {
      const auto data = common::parseBase64DataUrl(common::imageUrl(*part));
      if (!data) {
        return badRequest("Ollama takes images inline only: send the image as a base64 data: URL.",
                          "messages");
      }
      images.emplace_back(data->data);
    } else {
      return badRequest(
          "Ollama does not support content parts of type '" + std::string(type) + "'.", "messages");
    }
  }
  out["content"] = text;
  if (!images.empty()) out["images"] = std::move(images);
  return {};
}

// The assistant's tool calls with their arguments as objects (Ollama's form); names by id for
// the tool results that follow.
Result<json::array> toolCalls(const json::array& calls, std::map<std::string, std::string>& names) {
  json::array out;
  for (const auto& c : calls) {
    const auto* call = c.if_object();
    const auto* fn = call ? objectField(*call, "function") : nullptr;
    if (!fn) return badRequest("A tool call must have a function.", "messages");
    const std::string_view name = stringField(*fn, "name");
    json::value arguments = json::object();
    if (const auto args = stringField(*fn, "arguments"); !args.empty()) {
      boost::system::error_code ec;
      arguments = json::parse(args, ec);
      if (ec || !arguments.is_object()) {
        return badRequest("A tool call's arguments must be a JSON object.", "messages");
      }
    }
    names[std::string(stringField(*call, "id"))] = std::string(name);
    out.emplace_back(json::object{
        {"function", json::object{{"name", name}, {"arguments", std::move(arguments)}}}});
  }
  return out;
}

Result<json::array> messagesOf(const json::array& list) {
  json::array messages;
  std::map<std::string, std::string> toolNames;
  for (const auto& item : list) {
    const auto* m = item.if_object();
    if (!m) return badRequest("Each message must be an object.", "messages");
    std::string_view role = stringField(*m, "role");
    if (role == "developer") role = "system";
    if (role != "system" && role != "user" && role != "assistant" && role != "tool") {
      return badRequest("Ollama does not support messages with role '" + std::string(role) + "'.",
                        "messages");
    }
    json::object out{{"role", role}};
    const json::value* content = m->if_contains("content");
    if (role == "assistant" || role == "tool") {
      out["content"] = content ? common::contentText(*content) : "";
    } else if (auto read = readContent(content ? *content : json::value(""), out); !read) {
      return read.error();
    }
    if (role == "assistant") {
      // Reasoning handed back (LiteLLM's reasoning_content) is Ollama's thinking.
      if (const auto thinking = stringField(*m, "reasoning_content"); !thinking.empty()) {
        out["thinking"] = thinking;
      }
      if (const auto* calls = arrayField(*m, "tool_calls"); calls && !calls->empty()) {
        auto converted = toolCalls(*calls, toolNames);
        if (!converted) return converted.error();
        out["tool_calls"] = std::move(*converted);
      }
    } else if (role == "tool") {
      // Ollama matches a result to its call by the tool's name.
      auto it = toolNames.find(std::string(stringField(*m, "tool_call_id")));
      if (it != toolNames.end()) out["tool_name"] = it->second;
    }
    messages.emplace_back(std::move(out));
  }
  return messages;
}

// The tools to offer: all, only the one tool_choice names (Ollama cannot force one), or none
// for tool_choice "none".
Result<json::array> toolsOf(const json::object& body) {
  json::array out;
  const auto* tools = arrayField(body, "tools");
  if (!tools || tools->empty()) return out;
  std::string_view forced;
  if (const auto* choice = body.if_contains("tool_choice")) {
    if (choice->is_string() && choice->get_string() == "none") return out;
    if (const auto* obj = choice->if_object()) {
      if (const auto* fn = objectField(*obj, "function")) forced = stringField(*fn, "name");
    }
  }
  for (const auto& t : *tools) {
    const auto* tool = t.if_object();
    const auto* fn = tool ? objectField(*tool, "function") : nullptr;
    if (!fn || stringField(*tool, "type") != "function") {
      return badRequest("Ollama supports only tools of type 'function'.", "tools");
    }
    if (!forced.empty() && stringField(*fn, "name") != forced) continue;
    out.emplace_back(*tool);
  }
  if (out.empty()) {
    return badRequest("tool_choice names a function that is not in tools.", "tool_choice");
  }
  return out;
}

// reasoning_effort (or an explicit think, or Anthropic-style thinking) → think. gpt-oss models
// take the effort itself; the others a boolean.
std::optional<json::value> thinkOf(const json::object& body, std::string_view model) {
  if (const auto* think = body.if_contains("think");
      think && (think->is_bool() || think->is_string())) {
    return *think;
  }
  if (const auto effort = stringField(body, "reasoning_effort"); !effort.empty()) {
    if (effort == "none") return json::value(false);
    if (model.starts_with("gpt-oss")) return json::value(effort == "minimal" ? "low" : effort);
    return json::value(true);
  }
  if (const auto* thinking = objectField(body, "thinking")) {
    return json::value(stringField(*thinking, "type") != "disabled");
  }
  return std::nullopt;
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
  auto messages = messagesOf(*list);
  if (!messages) return messages.error();

  // Ollama streams unless told otherwise.
  const bool stream = common::boolField(body, "stream");
  json::object out{{"model", model}, {"messages", std::move(*messages)}, {"stream", stream}};

  json::object options;
  if (const auto* given = objectField(body, "options")) options = *given;
  auto copyNumber = [&](std::string_view from, std::string_view to) {
    if (const auto* v = body.if_contains(from); v && v->is_number()) options[to] = *v;
  };
  for (std::string_view key : kNativeOptions) copyNumber(key, key);
  copyNumber("temperature", "temperature");
  copyNumber("top_p", "top_p");
  copyNumber("seed", "seed");
  copyNumber("frequency_penalty", "frequency_penalty");
  copyNumber("presence_penalty", "presence_penalty");
  copyNumber("max_tokens", "num_predict");
  copyNumber("max_completion_tokens", "num_predict");
  if (auto stop = common::stopSequences(body)) options["stop"] = std::move(*stop);
  if (!options.empty()) out["options"] = std::move(options);

  if (const auto* rf = objectField(body, "response_format")) {
    const std::string_view type = stringField(*rf, "type");
    if (type == "json_object") {
      out["format"] = "json";
    } else if (type == "json_schema") {
      const auto* js = objectField(*rf, "json_schema");
      const auto* schema = js ? js->if_contains("schema") : nullptr;
      out["format"] = schema && schema->is_object() ? *schema : json::value("json");
    }
  } else if (const auto* format = body.if_contains("format");
             format && (format->is_string() || format->is_object())) {
    out["format"] = *format;
  }
  auto tools = toolsOf(body);
  if (!tools) return tools.error();
  if (!tools->empty()) out["tools"] = std::move(*tools);
  if (auto think = thinkOf(body, model)) out["think"] = std::move(*think);
  if (const auto* keepAlive = body.if_contains("keep_alive");
      keepAlive && (keepAlive->is_string() || keepAlive->is_number())) {
    out["keep_alive"] = *keepAlive;
  }
  return out;
}

Result<json::object> toEmbed(const json::object& body, std::string_view model) {
  auto texts = common::embeddingTexts(body, "Ollama");
  if (!texts) return texts.error();
  json::object out{{"model", model}, {"input", std::move(*texts)}};
  if (const auto* dims = body.if_contains("dimensions"); dims && dims->is_number()) {
    out["dimensions"] = *dims;
  }
  if (const auto* keepAlive = body.if_contains("keep_alive");
      keepAlive && (keepAlive->is_string() || keepAlive->is_number())) {
    out["keep_alive"] = *keepAlive;
  }
  return out;
}

}  // namespace switchyard::ollama
