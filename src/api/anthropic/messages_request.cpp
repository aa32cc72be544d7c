#include "api/anthropic/messages_request.hpp"

#include <boost/json/value.hpp>

#include "api/anthropic/anthropic_mapping.hpp"
#include "api/anthropic/messages_request_content.hpp"
#include "api/anthropic/messages_request_fields.hpp"

namespace switchyard {

using namespace anthropic_in;
namespace json = boost::json;

namespace {

Result<json::array> convertTools(const json::value& v, LeftOut& left) {
  if (!v.is_array()) return wrongType("tools", "a valid list", v);
  json::array out;
  size_t i = 0;
  for (const auto& t : v.get_array()) {
    const std::string path = join(std::string("tools"), i++);
    if (!t.is_object()) return wrongType(path, "an object", t);
    const auto& tool = t.get_object();
    if (const auto* type = tool.if_contains("type"); type && !type->is_null()) {
      if (!type->is_string()) return wrongType(join(path, "type"), "a valid string", *type);
      if (type->get_string() != "custom") {
        left.add(unsupported(join(path, "type"),
                             "server tool '" + std::string(type->get_string()) +
                                 "' (only client tools with name, description and input_schema)"));
        continue;
      }
    }
    auto name = requiredString(tool, path, "name");
    if (!name) return name.error();
    const auto* schema = tool.if_contains("input_schema");
    if (!schema) return required(join(path, "input_schema"));
    if (!schema->is_object()) return wrongType(join(path, "input_schema"), "an object", *schema);
    json::object fn{{"name", *name}};
    auto description = optionalField(tool, path, "description", "a valid string",
                                     [](const json::value& d) { return d.is_string(); });
    if (!description) return description.error();
    if (*description) fn["description"] = **description;
    fn["parameters"] = *schema;
    if (const auto* strict = tool.if_contains("strict"); strict && strict->is_bool()) {
      fn["strict"] = *strict;
    }
    out.push_back(json::object{{"type", "function"}, {"function", std::move(fn)}});
  }
  return out;
}

// tool_choice → OpenAI tool_choice (+ parallel_tool_calls), written only when there are tools:
// OpenAI rejects both without them.
Result<void> convertToolChoice(const json::value& v, bool haveTools, json::object& out) {
  if (!v.is_object()) return wrongType("tool_choice", "an object", v);
  const auto& choice = v.get_object();
  auto type = requiredString(choice, "tool_choice", "type");
  if (!type) return type.error();
  json::value mapped;
  if (*type == "auto") {
    mapped = "auto";
  } else if (*type == "any") {
    mapped = "required";
  } else if (*type == "none") {
    mapped = "none";
  } else if (*type == "tool") {
    auto name = requiredString(choice, "tool_choice", "name");
    if (!name) return name.error();
    mapped = json::object{{"type", "function"}, {"function", json::object{{"name", *name}}}};
  } else {
    return invalid("tool_choice.type", "Input should be 'auto', 'any', 'tool' or 'none'");
  }
  const auto* dpt = choice.if_contains("disable_parallel_tool_use");
  if (dpt && !dpt->is_null() && !dpt->is_bool()) {
    return wrongType("tool_choice.disable_parallel_tool_use", "a valid boolean", *dpt);
  }
  if (!haveTools) return {};
  out["tool_choice"] = std::move(mapped);
  if (dpt && dpt->is_bool() && dpt->get_bool()) out["parallel_tool_calls"] = false;
  return {};
}

Result<void> convertThinking(const json::value& v, json::object& out) {
  if (!v.is_object()) return wrongType("thinking", "an object", v);
  const auto& thinking = v.get_object();
  auto type = requiredString(thinking, "thinking", "type");
  if (!type) return type.error();
  if (*type == "enabled") {
    const auto* budget = thinking.if_contains("budget_tokens");
    if (!budget) return required("thinking.budget_tokens");
    if (!isInteger(*budget)) {
      return wrongType("thinking.budget_tokens", "a valid integer", *budget);
    }
    const int64_t tokens = budget->is_int64() ? budget->get_int64() : INT64_MAX;
    out["reasoning_effort"] = anthropic_map::reasoningEffortFromBudget(tokens);
  }
  out["thinking"] = v;
  return {};
}

// output_config: effort → reasoning_effort (unless thinking set one), format → response_format.
Result<void> convertOutputConfig(const json::value& v, json::object& out, LeftOut& left) {
  if (!v.is_object()) return wrongType("output_config", "an object", v);
  const auto& cfg = v.get_object();
  if (const auto* effort = cfg.if_contains("effort"); effort && !effort->is_null()) {
    if (!effort->is_string()) {
      return wrongType("output_config.effort", "a valid string", *effort);
    }
    const std::string_view e = effort->get_string();
    if (!out.contains("reasoning_effort")) {
      out["reasoning_effort"] = e == "low" || e == "medium" ? e : std::string_view("high");
    }
  }
  if (const auto* format = cfg.if_contains("format"); format && !format->is_null()) {
    if (!format->is_object()) return wrongType("output_config.format", "an object", *format);
    auto type = requiredString(format->get_object(), "output_config.format", "type");
    if (!type) return type.error();
    if (*type != "json_schema") {
      left.add(unsupported("output_config.format.type", "format '" + std::string(*type) + "'"));
      return {};
    }
    const auto* schema = format->get_object().if_contains("schema");
    if (!schema) return required("output_config.format.schema");
    if (!schema->is_object()) {
      return wrongType("output_config.format.schema", "an object", *schema);
    }
    out["response_format"] = json::object{
        {"type", "json_schema"},
        {"json_schema", json::object{{"name", "output"}, {"schema", *schema}, {"strict", true}}}};
  }
  return {};
}

}  // namespace

Result<ApiRequest> parseAnthropicRequest(std::string_view body, json::storage_ptr storage) {
  auto parsed = parseBody(body, storage);
  if (!parsed) return parsed.error();
  const json::object& in = parsed->get_object();

  auto model = requiredString(in, "", "model");
  if (!model) return model.error();
  if (model->empty()) return invalid("model", "String should have at least 1 character");

  const auto* maxTokens = in.if_contains("max_tokens");
  if (!maxTokens) return required("max_tokens");
  if (!isInteger(*maxTokens)) return wrongType("max_tokens", "a valid integer", *maxTokens);
  if (maxTokens->is_int64() && maxTokens->get_int64() < 1) {
    return invalid("max_tokens", "Input should be greater than or equal to 1");
  }

  const json::value* system = in.if_contains("system");
  if (system && system->is_null()) system = nullptr;
  LeftOut left;
  auto messages = convertMessages(in, system, left);
  if (!messages) return messages.error();

  ApiRequest req(storage);
  req.endpoint = Endpoint::kChatCompletions;
  req.format = InboundFormat::kAnthropic;
  req.model = std::string(*model);
  json::object& out = req.editBody();
  out["model"] = *model;
  out["messages"] = std::move(*messages);
  out["max_tokens"] = *maxTokens;

  const auto* tools = in.if_contains("tools");
  bool haveTools = false;
  if (tools && !tools->is_null()) {
    auto converted = convertTools(*tools, left);
    if (!converted) return converted.error();
    haveTools = !converted->empty();
    if (haveTools) out["tools"] = std::move(*converted);
  }

  for (const auto& [key, value] : in) {
    if (key == "model" || key == "messages" || key == "system" || key == "max_tokens" ||
        key == "tools" || key == "output_config") {
      continue;
    }
    if (value.is_null()) continue;
    if (key == "stop_sequences") {
      if (!value.is_array()) return wrongType("stop_sequences", "a valid list", value);
      size_t i = 0;
      for (const auto& s : value.get_array()) {
        if (!s.is_string())
          return wrongType(join(std::string("stop_sequences"), i), "a valid string", s);
        ++i;
      }
      if (!value.get_array().empty()) out["stop"] = value;
    } else if (key == "temperature" || key == "top_p") {
      if (!value.is_number()) return wrongType(std::string(key), "a valid number", value);
      out[key] = value;
    } else if (key == "top_k") {
      if (!isInteger(value)) return wrongType("top_k", "a valid integer", value);
      out[key] = value;
    } else if (key == "stream") {
      if (!value.is_bool()) return wrongType("stream", "a valid boolean", value);
      req.stream = value.get_bool();
      if (req.stream) {
        out["stream"] = true;
        out["stream_options"] = json::object{{"include_usage", true}};
        req.clientWantsUsage = true;
      }
    } else if (key == "metadata") {
      if (!value.is_object()) return wrongType("metadata", "an object", value);
      const auto* user = value.get_object().if_contains("user_id");
      if (user && !user->is_null()) {
        if (!user->is_string()) return wrongType("metadata.user_id", "a valid string", *user);
        out["user"] = *user;
      }
    } else if (key == "tool_choice") {
      if (auto r = convertToolChoice(value, haveTools, out); !r) return r.error();
    } else if (key == "thinking") {
      if (auto r = convertThinking(value, out); !r) return r.error();
    } else if (key == "service_tier") {
      if (!value.is_string()) return wrongType("service_tier", "a valid string", value);
      out["service_tier"] = value.get_string() == "standard_only" ? "default" : value.get_string();
    } else {
      out[key] = value;  // unknown to us: the backend may know it
    }
  }
  if (const auto* cfg = in.if_contains("output_config"); cfg && !cfg->is_null()) {
    if (auto r = convertOutputConfig(*cfg, out, left); !r) return r.error();
  }
  req.parameters = readSamplingParameters(out);
  req.endUser = endUserOf(out);
  req.untranslated = std::move(left).first();
  req.clientText.text = body;  // located by the Anthropic adapter (clientTextOf)
  return req;
}

}  // namespace switchyard
