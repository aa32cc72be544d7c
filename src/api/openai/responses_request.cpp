#include "api/openai/responses_request.hpp"

#include <array>
#include <boost/json/parse.hpp>

#include "api/openai/responses_conversation.hpp"
#include "api/openai/responses_request_fields.hpp"
#include "api/openai/responses_request_input.hpp"
#include "api/routing_preferences.hpp"

namespace switchyard {

using namespace responses_in;
namespace json = boost::json;

namespace {

// Top-level fields a Response object repeats as the request gave them.
constexpr std::array<std::string_view, 17> kEchoed = {"instructions",
                                                      "max_output_tokens",
                                                      "metadata",
                                                      "parallel_tool_calls",
                                                      "reasoning",
                                                      "store",
                                                      "temperature",
                                                      "text",
                                                      "tool_choice",
                                                      "tools",
                                                      "top_p",
                                                      "truncation",
                                                      "user",
                                                      "service_tier",
                                                      "safety_identifier",
                                                      "prompt_cache_key",
                                                      "top_logprobs"};

// Fields that need no translation: a chat body says nothing about them, or they only shape the
// Response object (echoed above).
constexpr std::array<std::string_view, 8> kNotForChat = {
    "metadata",       "store",        "truncation",        "include",
    "stream_options", "top_logprobs", "safety_identifier", "prompt_cache_key"};

template <size_t N>
bool oneOf(const std::array<std::string_view, N>& names, std::string_view key) {
  for (auto n : names) {
    if (n == key) return true;
  }
  return false;
}

bool isInteger(const json::value& v) {
  return v.is_int64() || v.is_uint64() || (v.is_double() && isWholeNumber(v.get_double()));
}

Result<json::array> convertTools(const json::value& v, LeftOut& left) {
  if (!v.is_array()) return wrongType("tools", "an array", v);
  json::array out;
  size_t i = 0;
  for (const auto& t : v.get_array()) {
    const std::string path = element("tools", i++);
    if (!t.is_object()) return wrongType(path, "an object", t);
    const auto& tool = t.get_object();
    auto type = requiredString(tool, path, "type");
    if (!type) return type.error();
    if (*type != "function") {
      left.add(unsupported(member(path, "type"), "the hosted tool '" + std::string(*type) + "'"));
      continue;
    }
    auto name = requiredString(tool, path, "name");
    if (!name) return name.error();
    json::object fn{{"name", *name}};
    auto description = optionalString(tool, path, "description");
    if (!description) return description.error();
    if (*description) fn["description"] = **description;
    if (const auto* p = tool.if_contains("parameters"); p && !p->is_null()) {
      if (!p->is_object()) return wrongType(member(path, "parameters"), "an object", *p);
      fn["parameters"] = *p;
    }
    if (const auto* s = tool.if_contains("strict"); s && !s->is_null()) {
      if (!s->is_bool()) return wrongType(member(path, "strict"), "a boolean", *s);
      fn["strict"] = *s;
    }
    out.push_back(json::object{{"type", "function"}, {"function", std::move(fn)}});
  }
  return out;
}

Result<json::value> convertToolChoice(const json::value& v, LeftOut& left) {
  if (v.is_string()) {
    const auto s = v.get_string();
    if (s != "auto" && s != "none" && s != "required") {
      return invalidValue("tool_choice", "expected 'auto', 'none', 'required' or an object.");
    }
    return v;
  }
  if (!v.is_object()) return wrongType("tool_choice", "a string or an object", v);
  auto type = requiredString(v.get_object(), "tool_choice", "type");
  if (!type) return type.error();
  if (*type != "function") {
    left.add(unsupported("tool_choice.type", "tool_choice '" + std::string(*type) + "'"));
    return json::value(nullptr);
  }
  auto name = requiredString(v.get_object(), "tool_choice", "name");
  if (!name) return name.error();
  return json::value(
      json::object{{"type", "function"}, {"function", json::object{{"name", *name}}}});
}

// text: {format: {type: text | json_schema | json_object, ...}, verbosity}.
Result<void> convertText(const json::value& v, json::object& out) {
  if (!v.is_object()) return wrongType("text", "an object", v);
  const auto* format = v.get_object().if_contains("format");
  if (!format || format->is_null()) return {};
  if (!format->is_object()) return wrongType("text.format", "an object", *format);
  const auto& f = format->get_object();
  auto type = requiredString(f, "text.format", "type");
  if (!type) return type.error();
  if (*type == "text") return {};
  if (*type == "json_object") {
    out["response_format"] = json::object{{"type", "json_object"}};
    return {};
  }
  if (*type != "json_schema") {
    return invalidValue("text.format.type", "expected 'text', 'json_schema' or 'json_object'.");
  }
  auto name = requiredString(f, "text.format", "name");
  if (!name) return name.error();
  const auto* schema = f.if_contains("schema");
  if (!schema || schema->is_null()) return missing("text.format.schema");
  if (!schema->is_object()) return wrongType("text.format.schema", "an object", *schema);
  json::object js{{"name", *name}, {"schema", *schema}};
  auto description = optionalString(f, "text.format", "description");
  if (!description) return description.error();
  if (*description) js["description"] = **description;
  if (const auto* s = f.if_contains("strict"); s && !s->is_null()) {
    if (!s->is_bool()) return wrongType("text.format.strict", "a boolean", *s);
    js["strict"] = *s;
  }
  out["response_format"] = json::object{{"type", "json_schema"}, {"json_schema", std::move(js)}};
  return {};
}

Result<void> convertReasoning(const json::value& v, json::object& out) {
  if (!v.is_object()) return wrongType("reasoning", "an object", v);
  auto effort = optionalString(v.get_object(), "reasoning", "effort");
  if (!effort) return effort.error();
  // summary only shapes what OpenAI reports; the translated answer's reasoning is its summary.
  if (auto summary = optionalString(v.get_object(), "reasoning", "summary"); !summary) {
    return summary.error();
  }
  if (*effort) out["reasoning_effort"] = (*effort)->get_string();
  return {};
}

Result<void> convertMember(std::string_view key, const json::value& value, ApiRequest& req,
                           json::object& out, LeftOut& left) {
  const std::string path(key);
  if (key == "stream") {
    if (!value.is_bool()) return wrongType(path, "a boolean", value);
    req.stream = value.get_bool();
    if (req.stream) {
      out["stream"] = true;
      out["stream_options"] = json::object{{"include_usage", true}};
      req.clientWantsUsage = true;  // response.completed always carries usage
    }
  } else if (key == "temperature" || key == "top_p") {
    if (!value.is_number()) return wrongType(path, "a number", value);
    out[key] = value;
  } else if (key == "max_output_tokens") {
    if (!isInteger(value)) return wrongType(path, "an integer", value);
    if (value.is_int64() && value.get_int64() < 1) {
      return invalidValue(path, "expected a value of at least 1.");
    }
    out["max_completion_tokens"] = value;
  } else if (key == "parallel_tool_calls") {
    if (!value.is_bool()) return wrongType(path, "a boolean", value);
  } else if (key == "user" || key == "service_tier") {
    if (!value.is_string()) return wrongType(path, "a string", value);
    out[key] = value;
  } else if (key == "metadata") {
    if (!value.is_object()) return wrongType(path, "an object", value);
  } else if (key == "store") {
    if (!value.is_bool()) return wrongType(path, "a boolean", value);
  } else if (key == "text") {
    return convertText(value, out);
  } else if (key == "reasoning") {
    return convertReasoning(value, out);
  } else if (key == "background") {
    if (!value.is_bool()) return wrongType(path, "a boolean", value);
    if (value.get_bool()) left.add(unsupported(path, "background mode"));
  } else if (oneOf(kRoutePreferenceMembers, key)) {
    out[key] = value;  // read and taken out by the router (takeRoutePreferences)
  } else if (!oneOf(kNotForChat, key)) {
    left.add(unsupported(path, "the parameter"));
  }
  return {};
}

}  // namespace

Result<ApiRequest> parseResponsesRequest(std::string_view body, json::storage_ptr storage) {
  boost::system::error_code ec;
  json::parse_options options;
  options.max_depth = 128;  // tool schemas nest deeply
  json::value root = json::parse(body, ec, storage, options);
  if (ec || !root.is_object()) {
    return Error::make(ErrorClass::kBadRequest,
                       ec ? "We could not parse the JSON body of your request: " + ec.message()
                          : std::string("The request body must be a JSON object."),
                       {}, "invalid_json");
  }
  const json::object& in = root.get_object();
  auto model = requiredString(in, "", "model");
  if (!model) return model.error();
  if (model->empty()) return invalidValue("model", "expected a non-empty string.");
  const auto* input = in.if_contains("input");
  if (!input || input->is_null()) return missing("input");

  LeftOut left;
  auto messages = convertInput(*input, in.if_contains("instructions"), left);
  if (!messages) return messages.error();

  ApiRequest req(storage);
  req.endpoint = Endpoint::kChatCompletions;
  req.format = InboundFormat::kResponses;
  req.model = std::string(*model);
  json::object& out = req.editBody();
  out["model"] = *model;
  out["messages"] = std::move(*messages);

  bool haveTools = false;
  if (const auto* tools = in.if_contains("tools"); tools && !tools->is_null()) {
    auto converted = convertTools(*tools, left);
    if (!converted) return converted.error();
    haveTools = !converted->empty();
    if (haveTools) out["tools"] = std::move(*converted);
  }
  json::object echo(storage);
  for (const auto& [key, value] : in) {
    if (oneOf(kEchoed, key)) echo[key] = value;
    if (key == "model" || key == "input" || key == "instructions" || key == "tools" ||
        value.is_null()) {
      continue;
    }
    if (key == "previous_response_id") {
      if (!value.is_string()) return wrongType("previous_response_id", "a string", value);
      echo[key] = value;
      // The gateway continues the conversations it stored before decoding (the body it decodes
      // then has none): this one only a Responses-native upstream can know.
      left.add(responses_state::responseNotFound(value.get_string(), true));
    } else if (key == "tool_choice") {
      auto choice = convertToolChoice(value, left);
      if (!choice) return choice.error();
      if (haveTools && !choice->is_null()) out["tool_choice"] = std::move(*choice);
    } else if (auto r = convertMember(key, value, req, out, left); !r) {
      return r.error();
    }
  }
  // Chat rejects parallel_tool_calls without tools.
  if (const auto* p = in.if_contains("parallel_tool_calls"); haveTools && p && p->is_bool()) {
    out["parallel_tool_calls"] = *p;
  }
  req.parameters = readSamplingParameters(out);
  req.endUser = endUserOf(out);
  req.untranslated = std::move(left).first();
  req.clientEcho = std::move(echo);
  req.clientText.text = body;  // located by the adapter that sends it (clientTextOf)
  return req;
}

}  // namespace switchyard
