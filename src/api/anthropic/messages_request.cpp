#include "api/anthropic/messages_request.hpp"
#include "api/json_kind.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "api/anthropic/anthropic_mapping.hpp"

namespace switchyard {
namespace {

namespace json = boost::json;

// Anthropic's errors name the field first: "max_tokens: Field required".
Error invalid(const std::string& path, std::string_view message) {
  return Error::make(ErrorClass::kBadRequest, path + ": " + std::string(message), path,
                     "invalid_request_error");
}

Error required(const std::string& path) { return invalid(path, "Field required"); }

Error wrongType(const std::string& path, std::string_view want, const json::value& got) {
  return invalid(
      path, "Input should be " + std::string(want) + ", got " + std::string(jsonKindName(got)));
}

Error unsupported(const std::string& path, std::string_view what) {
  return invalid(path, std::string(what) + " is not supported by this gateway for this model");
}

bool isInteger(const json::value& v) { return v.is_int64() || v.is_uint64(); }

std::string join(const std::string& a, std::string_view b) {
  return a.empty() ? std::string(b) : a + "." + std::string(b);
}
std::string join(const std::string& a, size_t i) { return a + "." + std::to_string(i); }

// Looks up an optional field of an expected JSON kind; null counts as absent.
template <class Check>
Result<const json::value*> optionalField(const json::object& o, const std::string& path,
                                         std::string_view key, std::string_view want,
                                         Check&& check) {
  const auto* v = o.if_contains(key);
  if (!v || v->is_null()) return nullptr;
  if (!check(*v)) return wrongType(join(path, key), want, *v);
  return v;
}

Result<std::string_view> requiredString(const json::object& o, const std::string& path,
                                        std::string_view key) {
  const auto* v = o.if_contains(key);
  if (!v) return required(join(path, key));
  if (!v->is_string()) return wrongType(join(path, key), "a valid string", *v);
  return std::string_view(v->get_string());
}

// A text part in OpenAI's content-array form, keeping cache_control for backends that honour it.
json::object textPart(std::string_view text, const json::object& block) {
  json::object part{{"type", "text"}, {"text", text}};
  if (const auto* cc = block.if_contains("cache_control"); cc && !cc->is_null()) {
    part["cache_control"] = *cc;
  }
  return part;
}

// Collected OpenAI content parts of one message.
struct Parts {
  json::array parts;
  bool onlyText = true;
  bool cacheControl = false;

  void addText(std::string_view text, const json::object& block) {
    if (block.contains("cache_control")) cacheControl = true;
    parts.push_back(textPart(text, block));
  }
  void add(json::object part) {
    onlyText = false;
    parts.push_back(std::move(part));
  }
  // A plain string where the parts allow it (the form every OpenAI-format backend accepts).
  json::value content() && {
    if (!onlyText || cacheControl) return std::move(parts);
    std::string text;
    for (size_t i = 0; i < parts.size(); ++i) {
      if (i > 0) text += '\n';
      text += parts[i].get_object()["text"].get_string();
    }
    return json::string(text);
  }
};

Result<json::object> imagePart(const json::object& block, const std::string& path) {
  const std::string srcPath = join(path, "source");
  const auto* source = block.if_contains("source");
  if (!source) return required(srcPath);
  if (!source->is_object()) return wrongType(srcPath, "an object", *source);
  const auto& src = source->get_object();
  auto type = requiredString(src, srcPath, "type");
  if (!type) return type.error();
  std::string url;
  if (*type == "base64") {
    auto mediaType = requiredString(src, srcPath, "media_type");
    if (!mediaType) return mediaType.error();
    auto data = requiredString(src, srcPath, "data");
    if (!data) return data.error();
    url.reserve(data->size() + mediaType->size() + 13);
    url.append("data:").append(*mediaType).append(";base64,").append(*data);
  } else if (*type == "url") {
    auto u = requiredString(src, srcPath, "url");
    if (!u) return u.error();
    url = *u;
  } else {
    return unsupported(join(srcPath, "type"), "image source type '" + std::string(*type) + "'");
  }
  return json::object{{"type", "image_url"}, {"image_url", json::object{{"url", std::move(url)}}}};
}

// Text blocks inside a tool_result or a document's content source. Images go to `images`
// (OpenAI tool messages carry text only; the caller moves them into the next user message).
Result<std::string> textOfBlocks(const json::value& content, const std::string& path,
                                 json::array* images) {
  if (content.is_string()) return std::string(content.get_string());
  if (!content.is_array()) return wrongType(path, "a valid string or a list of blocks", content);
  std::string text;
  size_t i = 0;
  for (const auto& b : content.get_array()) {
    const std::string bPath = join(path, i++);
    if (!b.is_object()) return wrongType(bPath, "an object", b);
    const auto& block = b.get_object();
    auto type = requiredString(block, bPath, "type");
    if (!type) return type.error();
    if (*type == "text") {
      auto t = requiredString(block, bPath, "text");
      if (!t) return t.error();
      if (!text.empty()) text += '\n';
      text += *t;
    } else if (*type == "image" && images) {
      auto part = imagePart(block, bPath);
      if (!part) return part.error();
      images->push_back(std::move(*part));
    } else {
      return unsupported(join(bPath, "type"),
                         "content block type '" + std::string(*type) + "' here");
    }
  }
  return text;
}

Result<std::string> documentText(const json::object& block, const std::string& path) {
  const std::string srcPath = join(path, "source");
  const auto* source = block.if_contains("source");
  if (!source) return required(srcPath);
  if (!source->is_object()) return wrongType(srcPath, "an object", *source);
  const auto& src = source->get_object();
  auto type = requiredString(src, srcPath, "type");
  if (!type) return type.error();
  if (*type == "text") {
    auto data = requiredString(src, srcPath, "data");
    if (!data) return data.error();
    return std::string(*data);
  }
  if (*type == "content") {
    const auto* content = src.if_contains("content");
    if (!content) return required(join(srcPath, "content"));
    return textOfBlocks(*content, join(srcPath, "content"), nullptr);
  }
  return unsupported(join(srcPath, "type"),
                     "document source type '" + std::string(*type) + "' (only text documents)");
}

// Appends the OpenAI messages for one Anthropic user message: tool results first (they must
// follow the assistant's tool_calls), then the rest of the content as one user message.
Result<void> convertUser(const json::array& blocks, const std::string& path, json::array& out) {
  Parts parts;
  json::array images;  // from tool results
  size_t i = 0;
  for (const auto& b : blocks) {
    const std::string bPath = join(path, i++);
    if (!b.is_object()) return wrongType(bPath, "an object", b);
    const auto& block = b.get_object();
    auto type = requiredString(block, bPath, "type");
    if (!type) return type.error();
    if (*type == "text") {
      auto text = requiredString(block, bPath, "text");
      if (!text) return text.error();
      parts.addText(*text, block);
    } else if (*type == "image") {
      auto part = imagePart(block, bPath);
      if (!part) return part.error();
      parts.add(std::move(*part));
    } else if (*type == "document") {
      auto text = documentText(block, bPath);
      if (!text) return text.error();
      parts.addText(*text, block);
    } else if (*type == "tool_result") {
      auto id = requiredString(block, bPath, "tool_use_id");
      if (!id) return id.error();
      std::string text;
      if (const auto* content = block.if_contains("content"); content && !content->is_null()) {
        auto t = textOfBlocks(*content, join(bPath, "content"), &images);
        if (!t) return t.error();
        text = std::move(*t);
      }
      const auto* isError = block.if_contains("is_error");
      if (isError && !isError->is_null() && !isError->is_bool()) {
        return wrongType(join(bPath, "is_error"), "a valid boolean", *isError);
      }
      // OpenAI has no error flag on tool messages: say it in the content the model reads.
      if (isError && isError->is_bool() && isError->get_bool()) text = "Error: " + text;
      out.push_back(json::object{{"role", "tool"}, {"tool_call_id", *id}, {"content", text}});
    } else if (*type == "tool_use" || *type == "thinking" || *type == "redacted_thinking") {
      return invalid(join(bPath, "type"),
                     "'" + std::string(*type) + "' blocks are only allowed in assistant messages");
    } else {
      return unsupported(join(bPath, "type"), "content block type '" + std::string(*type) + "'");
    }
  }
  for (auto& img : images) parts.add(std::move(img.get_object()));
  if (!parts.parts.empty()) {
    out.push_back(json::object{{"role", "user"}, {"content", std::move(parts).content()}});
  }
  return {};
}

Result<void> convertAssistant(const json::array& blocks, const std::string& path,
                              json::array& out) {
  Parts parts;
  json::array toolCalls;
  size_t i = 0;
  for (const auto& b : blocks) {
    const std::string bPath = join(path, i++);
    if (!b.is_object()) return wrongType(bPath, "an object", b);
    const auto& block = b.get_object();
    auto type = requiredString(block, bPath, "type");
    if (!type) return type.error();
    if (*type == "text") {
      auto text = requiredString(block, bPath, "text");
      if (!text) return text.error();
      parts.addText(*text, block);
    } else if (*type == "tool_use") {
      auto id = requiredString(block, bPath, "id");
      if (!id) return id.error();
      auto name = requiredString(block, bPath, "name");
      if (!name) return name.error();
      const auto* input = block.if_contains("input");
      if (input && !input->is_null() && !input->is_object()) {
        return wrongType(join(bPath, "input"), "a valid dictionary", *input);
      }
      const std::string arguments =
          input && input->is_object() ? json::serialize(*input) : std::string("{}");
      toolCalls.push_back(
          json::object{{"id", *id},
                       {"type", "function"},
                       {"function", json::object{{"name", *name}, {"arguments", arguments}}}});
    } else if (*type == "thinking" || *type == "redacted_thinking") {
      // Dropped: OpenAI-format backends reject or ignore reasoning in input messages.
    } else if (*type == "image" || *type == "document" || *type == "tool_result") {
      return invalid(join(bPath, "type"),
                     "'" + std::string(*type) + "' blocks are not allowed in assistant messages");
    } else {
      return unsupported(join(bPath, "type"), "content block type '" + std::string(*type) + "'");
    }
  }
  json::object msg{{"role", "assistant"}};
  if (!parts.parts.empty()) {
    msg["content"] = std::move(parts).content();
  } else {
    msg["content"] = toolCalls.empty() ? json::value("") : json::value(nullptr);
  }
  if (!toolCalls.empty()) msg["tool_calls"] = std::move(toolCalls);
  out.push_back(std::move(msg));
  return {};
}

// System prompt (top-level `system` or a role "system" message): string or text blocks.
Result<json::value> systemContent(const json::value& v, const std::string& path) {
  if (v.is_string()) return json::value(v.get_string());
  if (!v.is_array()) return wrongType(path, "a valid string or a list of text blocks", v);
  Parts parts;
  size_t i = 0;
  for (const auto& b : v.get_array()) {
    const std::string bPath = join(path, i++);
    if (!b.is_object()) return wrongType(bPath, "an object", b);
    const auto& block = b.get_object();
    auto type = requiredString(block, bPath, "type");
    if (!type) return type.error();
    if (*type != "text") {
      return invalid(join(bPath, "type"), "system blocks must be of type 'text'");
    }
    auto text = requiredString(block, bPath, "text");
    if (!text) return text.error();
    parts.addText(*text, block);
  }
  return std::move(parts).content();
}

bool emptyContent(const json::value& v) {
  return (v.is_string() && v.get_string().empty()) || (v.is_array() && v.get_array().empty());
}

Result<json::array> convertMessages(const json::object& root, const json::value* system) {
  json::array out;
  if (system) {
    auto content = systemContent(*system, "system");
    if (!content) return content.error();
    if (!emptyContent(*content)) {
      out.push_back(json::object{{"role", "system"}, {"content", std::move(*content)}});
    }
  }
  const auto* messages = root.if_contains("messages");
  if (!messages) return required("messages");
  if (!messages->is_array()) return wrongType("messages", "a valid list", *messages);
  if (messages->get_array().empty()) return invalid("messages", "at least one message is required");
  size_t i = 0;
  for (const auto& m : messages->get_array()) {
    const std::string path = join(std::string("messages"), i++);
    if (!m.is_object()) return wrongType(path, "an object", m);
    const auto& msg = m.get_object();
    auto role = requiredString(msg, path, "role");
    if (!role) return role.error();
    const auto* content = msg.if_contains("content");
    if (!content) return required(join(path, "content"));
    const std::string cPath = join(path, "content");
    if (*role == "system") {
      auto c = systemContent(*content, cPath);
      if (!c) return c.error();
      out.push_back(json::object{{"role", "system"}, {"content", std::move(*c)}});
      continue;
    }
    if (*role != "user" && *role != "assistant") {
      return invalid(join(path, "role"), "Input should be 'user' or 'assistant'");
    }
    if (content->is_string()) {
      out.push_back(json::object{{"role", *role}, {"content", content->get_string()}});
      continue;
    }
    if (!content->is_array()) {
      return wrongType(cPath, "a valid string or a list of content blocks", *content);
    }
    auto r = *role == "user" ? convertUser(content->get_array(), cPath, out)
                             : convertAssistant(content->get_array(), cPath, out);
    if (!r) return r.error();
  }
  return out;
}

Result<json::array> convertTools(const json::value& v) {
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
        return unsupported(join(path, "type"),
                           "server tool '" + std::string(type->get_string()) +
                               "' (only client tools with name, description and input_schema)");
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
Result<void> convertOutputConfig(const json::value& v, json::object& out) {
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
      return unsupported("output_config.format.type", "format '" + std::string(*type) + "'");
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

Result<json::value> parseBody(std::string_view body, json::storage_ptr storage = {}) {
  boost::system::error_code ec;
  json::parse_options options;
  options.max_depth = 128;  // tool input schemas nest deeply
  json::value root = json::parse(body, ec, std::move(storage), options);
  if (ec) {
    return Error::make(ErrorClass::kBadRequest,
                       "The request body is not valid JSON: " + ec.message(), {},
                       "invalid_request_error");
  }
  if (!root.is_object()) {
    return Error::make(ErrorClass::kBadRequest, "The request body must be a JSON object.", {},
                       "invalid_request_error");
  }
  return root;
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
  auto messages = convertMessages(in, system);
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
    auto converted = convertTools(*tools);
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
    if (auto r = convertOutputConfig(*cfg, out); !r) return r.error();
  }
  req.parameters = readSamplingParameters(out);
  return req;
}

namespace {

constexpr int64_t kImageTokenEstimate = 1600;  // Anthropic's cost of a ~1.15 megapixel image

size_t codePoints(std::string_view s) {
  size_t n = 0;
  for (const char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

// Characters and images the model would read in a content value (string or blocks).
void countContent(const json::value& v, size_t& chars, int64_t& images) {
  if (v.is_string()) {
    chars += codePoints(v.get_string());
    return;
  }
  if (!v.is_array()) return;
  for (const auto& b : v.get_array()) {
    const auto* block = b.if_object();
    if (!block) continue;
    const auto* type = block->if_contains("type");
    const std::string_view t =
        type && type->is_string() ? std::string_view(type->get_string()) : "";
    if (t == "image") {
      ++images;
    } else if (t == "tool_use") {
      if (const auto* name = block->if_contains("name"); name && name->is_string()) {
        chars += codePoints(name->get_string());
      }
      if (const auto* input = block->if_contains("input"))
        chars += codePoints(json::serialize(*input));
    } else if (t == "tool_result") {
      if (const auto* content = block->if_contains("content"))
        countContent(*content, chars, images);
    } else if (t == "document") {
      const auto* source = block->if_contains("source");
      if (source && source->is_object()) {
        if (const auto* data = source->get_object().if_contains("data"))
          countContent(*data, chars, images);
        if (const auto* content = source->get_object().if_contains("content")) {
          countContent(*content, chars, images);
        }
      }
    } else {
      for (const char* key : {"text", "thinking"}) {
        if (const auto* text = block->if_contains(key); text && text->is_string()) {
          chars += codePoints(text->get_string());
        }
      }
    }
  }
}

}  // namespace

Result<std::string> countTokensEstimate(std::string_view body) {
  auto parsed = parseBody(body);
  if (!parsed) return parsed.error();
  const json::object& in = parsed->get_object();
  auto model = requiredString(in, "", "model");
  if (!model) return model.error();
  const auto* messages = in.if_contains("messages");
  if (!messages) return required("messages");
  if (!messages->is_array()) return wrongType("messages", "a valid list", *messages);

  size_t chars = 0;
  int64_t images = 0;
  if (const auto* system = in.if_contains("system")) countContent(*system, chars, images);
  size_t i = 0;
  for (const auto& m : messages->get_array()) {
    const std::string path = join(std::string("messages"), i++);
    if (!m.is_object()) return wrongType(path, "an object", m);
    const auto* content = m.get_object().if_contains("content");
    if (!content) return required(join(path, "content"));
    countContent(*content, chars, images);
  }
  if (const auto* tools = in.if_contains("tools"); tools && tools->is_array()) {
    for (const auto& t : tools->get_array()) {
      const auto* tool = t.if_object();
      if (!tool) continue;
      for (const char* key : {"name", "description"}) {
        if (const auto* s = tool->if_contains(key); s && s->is_string()) {
          chars += codePoints(s->get_string());
        }
      }
      if (const auto* schema = tool->if_contains("input_schema")) {
        chars += codePoints(json::serialize(*schema));
      }
    }
  }
  const int64_t tokens = static_cast<int64_t>((chars + 3) / 4) + images * kImageTokenEstimate;
  return json::serialize(json::object{{"input_tokens", tokens}});
}

}  // namespace switchyard
