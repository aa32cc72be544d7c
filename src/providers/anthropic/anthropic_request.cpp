#include "providers/anthropic/anthropic_request.hpp"

#include <array>
#include <boost/json.hpp>
#include <optional>
#include <vector>

#include "providers/anthropic/anthropic_common.hpp"
#include "providers/common/content.hpp"
#include "providers/common/json_fields.hpp"
#include "providers/common/reasoning_effort.hpp"

namespace switchyard::anthropic {

namespace json = boost::json;
using common::stringField;

namespace {

constexpr int64_t kFallbackMaxTokens = 4096;  // every Claude model accepts at least this

struct MaxTokensRow {
  std::string_view family;  // substring of the model name
  int64_t tokens;
};

// Families that allow more output than 4096 tokens. The defaults stay well below their maxima
// (32k-64k): a long non-streaming answer risks the upstream's request timeout, and a client that
// wants more says so with max_tokens.
constexpr std::array<MaxTokensRow, 5> kMaxTokensTable = {{
    {"claude-3-5-", 8192},
    {"claude-3-7-", 16384},
    {"claude-sonnet-4", 16384},
    {"claude-opus-4", 16384},
    {"claude-haiku-4", 16384},
}};

enum class ParamUse { kMapped, kIgnored, kUnsupported };
struct ParamRow {
  std::string_view name;
  ParamUse use;
};

// OpenAI parameters this adapter knows. Anything else is a provider-specific parameter and is
// passed through as given, as LiteLLM does (top_k, Anthropic's own fields).
constexpr std::array<ParamRow, 35> kParams = {{
    {"model", ParamUse::kMapped},
    {"messages", ParamUse::kMapped},
    {"stream", ParamUse::kMapped},
    {"max_tokens", ParamUse::kMapped},
    {"max_completion_tokens", ParamUse::kMapped},
    {"stop", ParamUse::kMapped},
    {"temperature", ParamUse::kMapped},
    {"top_p", ParamUse::kMapped},
    {"top_k", ParamUse::kMapped},
    {"tools", ParamUse::kMapped},
    {"tool_choice", ParamUse::kMapped},
    {"parallel_tool_calls", ParamUse::kMapped},
    {"response_format", ParamUse::kMapped},
    {"reasoning_effort", ParamUse::kMapped},
    {"thinking", ParamUse::kMapped},
    {"user", ParamUse::kMapped},
    // Features of OpenAI's own platform (stored completions, usage reporting, tiers): the
    // gateway always gets usage from Anthropic, the rest has no Anthropic meaning.
    {"stream_options", ParamUse::kIgnored},
    {"store", ParamUse::kIgnored},
    {"metadata", ParamUse::kIgnored},
    {"service_tier", ParamUse::kIgnored},
    {"n", ParamUse::kUnsupported},
    {"logprobs", ParamUse::kUnsupported},
    {"top_logprobs", ParamUse::kUnsupported},
    {"presence_penalty", ParamUse::kUnsupported},
    {"frequency_penalty", ParamUse::kUnsupported},
    {"seed", ParamUse::kUnsupported},
    {"logit_bias", ParamUse::kUnsupported},
    {"functions", ParamUse::kUnsupported},
    {"function_call", ParamUse::kUnsupported},
    {"modalities", ParamUse::kUnsupported},
    {"audio", ParamUse::kUnsupported},
    {"prediction", ParamUse::kUnsupported},
    {"web_search_options", ParamUse::kUnsupported},
    {"verbosity", ParamUse::kUnsupported},
    {"safety_identifier", ParamUse::kIgnored},
}};

const ParamRow* findParam(std::string_view name) {
  for (const auto& row : kParams) {
    if (row.name == name) return &row;
  }
  return nullptr;
}

Error badRequest(std::string message, std::string param, std::string code = "invalid_value") {
  return Error::make(ErrorClass::kBadRequest, std::move(message), std::move(param),
                     std::move(code));
}

std::optional<double> numberOf(const json::value& v) {
  if (v.is_int64()) return static_cast<double>(v.get_int64());
  if (v.is_uint64()) return static_cast<double>(v.get_uint64());
  if (v.is_double()) return v.get_double();
  return std::nullopt;
}

std::optional<int64_t> integerOf(const json::value& v) {
  if (v.is_int64()) return v.get_int64();
  if (v.is_uint64() && v.get_uint64() <= uint64_t(INT64_MAX)) return int64_t(v.get_uint64());
  if (v.is_double() && v.get_double() == static_cast<double>(static_cast<int64_t>(v.get_double())))
    return static_cast<int64_t>(v.get_double());
  return std::nullopt;
}

// A value of an unsupported parameter that asks for nothing Anthropic would not do anyway.
bool isNeutral(std::string_view name, const json::value& v) {
  if (v.is_null()) return true;
  if (name == "n") return integerOf(v) == 1;
  if (name == "logprobs") return v.is_bool() && !v.get_bool();
  if (name == "top_logprobs" || name == "presence_penalty" || name == "frequency_penalty") {
    return numberOf(v) == 0.0;
  }
  if (name == "logit_bias") return v.is_object() && v.get_object().empty();
  if (name == "modalities") {
    const auto* a = v.if_array();
    return a && a->size() == 1 && (*a)[0].is_string() && (*a)[0].get_string() == "text";
  }
  return false;
}

std::string indexed(std::string_view base, size_t i) {
  return std::string(base) + "[" + std::to_string(i) + "]";
}

void copyCacheControl(const json::object& from, json::object& to) {
  if (const auto* cc = from.if_contains("cache_control"); cc && !cc->is_null()) {
    to["cache_control"] = *cc;
  }
}

// data:<media type>;base64,<data> or an http(s) URL → Anthropic's source object.
Result<json::object> mediaSource(std::string_view url, const std::string& path) {
  if (url.starts_with("data:")) {
    const auto dataUrl = common::parseBase64DataUrl(url);
    if (!dataUrl) {
      return badRequest("Only base64 data: URLs are supported for images and files.", path);
    }
    return json::object{
        {"type", "base64"}, {"media_type", dataUrl->mediaType}, {"data", dataUrl->data}};
  }
  if (url.starts_with("https://") || url.starts_with("http://")) {
    return json::object{{"type", "url"}, {"url", url}};
  }
  return badRequest("An image URL must be an http(s) URL or a base64 data: URL.", path);
}

Result<void> appendTextBlock(std::string_view text, const json::object* part, json::array& out) {
  // Anthropic refuses empty text blocks.
  if (text.empty()) return {};
  json::object block{{"type", "text"}, {"text", text}};
  if (part) copyCacheControl(*part, block);
  out.emplace_back(std::move(block));
  return {};
}

// One OpenAI content part → Anthropic blocks. `textOnly`: system prompts take text parts only.
Result<void> appendPart(const json::value& partValue, const std::string& path, bool textOnly,
                        json::array& out) {
  const auto* part = partValue.if_object();
  if (!part) return badRequest("A content part must be an object.", path);
  const std::string_view type = stringField(*part, "type");
  if (type == "text") {
    const auto* text = part->if_contains("text");
    if (!text || !text->is_string()) return badRequest("A text part needs a string 'text'.", path);
    return appendTextBlock(text->get_string(), part, out);
  }
  if (!textOnly && type == "image_url") {
    auto source = mediaSource(common::imageUrl(*part), path + ".image_url");
    if (!source) return source.error();
    json::object block{{"type", "image"}, {"source", std::move(*source)}};
    copyCacheControl(*part, block);
    out.emplace_back(std::move(block));
    return {};
  }
  if (!textOnly && type == "file") {
    const auto* file = part->if_contains("file");
    const std::string_view data = file && file->is_object()
                                      ? stringField(file->get_object(), "file_data")
                                      : std::string_view();
    if (data.empty()) {
      return badRequest("Anthropic needs files inline as file.file_data (a base64 data: URL).",
                        path + ".file");
    }
    auto source = mediaSource(data, path + ".file.file_data");
    if (!source) return source.error();
    json::object block{{"type", "document"}, {"source", std::move(*source)}};
    copyCacheControl(*part, block);
    out.emplace_back(std::move(block));
    return {};
  }
  return badRequest(
      "Content parts of type '" + std::string(type) + "' are not supported by Anthropic here.",
      path + ".type", "unsupported_content");
}

// A message's `content` (string, parts or null) → blocks appended to `out`.
Result<void> appendContent(const json::value* content, const std::string& path, bool textOnly,
                           json::array& out) {
  if (!content || content->is_null()) return {};
  if (content->is_string()) return appendTextBlock(content->get_string(), nullptr, out);
  const auto* parts = content->if_array();
  if (!parts) return badRequest("'content' must be a string or an array of parts.", path);
  for (size_t i = 0; i < parts->size(); ++i) {
    if (auto r = appendPart((*parts)[i], indexed(path, i), textOnly, out); !r) return r;
  }
  return {};
}

Result<json::object> toolUseBlock(const json::value& callValue, const std::string& path) {
  const auto* call = callValue.if_object();
  const auto* fn = call ? call->if_contains("function") : nullptr;
  if (!fn || !fn->is_object()) return badRequest("A tool call needs a 'function' object.", path);
  const auto& f = fn->get_object();
  json::value input = json::object();
  const std::string_view args = stringField(f, "arguments");
  if (!args.empty()) {
    boost::system::error_code ec;
    input = json::parse(args, ec);
    if (ec || !input.is_object()) {
      return badRequest("Tool call arguments must be a JSON object.", path + ".function.arguments");
    }
  }
  return json::object{{"type", "tool_use"},
                      {"id", stringField(*call, "id")},
                      {"name", stringField(f, "name")},
                      {"input", std::move(input)}};
}

struct Turn {
  std::string_view role;  // "user" or "assistant"
  json::array blocks;
};

struct Conversation {
  json::array system;
  std::vector<Turn> turns;

  void add(std::string_view role, json::array blocks) {
    if (blocks.empty()) return;  // Anthropic refuses empty messages
    if (!turns.empty() && turns.back().role == role) {
      for (auto& b : blocks) turns.back().blocks.emplace_back(std::move(b));
      return;
    }
    turns.push_back(Turn{role, std::move(blocks)});
  }
};

// Message-level cache_control (LiteLLM's form) marks the message's last block.
void applyMessageCacheControl(const json::object& message, json::array& blocks) {
  if (blocks.empty()) return;
  if (auto* last = blocks.back().if_object()) copyCacheControl(message, *last);
}

Result<void> convertMessage(const json::object& m, const std::string& path, Conversation& conv) {
  const std::string_view role = stringField(m, "role");
  const auto* content = m.if_contains("content");
  json::array blocks;
  if (role == "system" || role == "developer") {
    if (auto r = appendContent(content, path + ".content", true, blocks); !r) return r;
    applyMessageCacheControl(m, blocks);
    for (auto& b : blocks) conv.system.emplace_back(std::move(b));
    return {};
  }
  if (role == "user") {
    if (auto r = appendContent(content, path + ".content", false, blocks); !r) return r;
    applyMessageCacheControl(m, blocks);
    conv.add("user", std::move(blocks));
    return {};
  }
  if (role == "assistant") {
    // Signed thinking blocks handed back from an earlier answer must precede the tool calls.
    if (const auto* thinking = m.if_contains("thinking_blocks"); thinking && thinking->is_array()) {
      for (const auto& b : thinking->get_array()) {
        if (b.is_object()) blocks.emplace_back(b);
      }
    }
    if (auto r = appendContent(content, path + ".content", true, blocks); !r) return r;
    if (const auto* calls = m.if_contains("tool_calls"); calls && calls->is_array()) {
      const auto& arr = calls->get_array();
      for (size_t i = 0; i < arr.size(); ++i) {
        auto block = toolUseBlock(arr[i], indexed(path + ".tool_calls", i));
        if (!block) return block.error();
        blocks.emplace_back(std::move(*block));
      }
    }
    applyMessageCacheControl(m, blocks);
    conv.add("assistant", std::move(blocks));
    return {};
  }
  if (role == "tool") {
    const std::string_view id = stringField(m, "tool_call_id");
    if (id.empty())
      return badRequest("A tool message needs 'tool_call_id'.", path + ".tool_call_id");
    json::object result{{"type", "tool_result"}, {"tool_use_id", id}};
    if (content && content->is_array()) {
      json::array parts;
      if (auto r = appendContent(content, path + ".content", false, parts); !r) return r;
      result["content"] = std::move(parts);
    } else {
      result["content"] = content && content->is_string() ? content->get_string() : "";
    }
    copyCacheControl(m, result);
    blocks.emplace_back(std::move(result));
    conv.add("user", std::move(blocks));
    return {};
  }
  return badRequest("Messages with role '" + std::string(role) + "' cannot be sent to Anthropic.",
                    path + ".role");
}

bool isBlank(char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; }

// Anthropic refuses a final assistant turn (a prefill) that ends in whitespace.
void trimPrefill(std::vector<Turn>& turns) {
  if (turns.empty() || turns.back().role != "assistant") return;
  auto& blocks = turns.back().blocks;
  auto* last = blocks.back().if_object();
  if (!last || stringField(*last, "type") != "text") return;
  std::string text(stringField(*last, "text"));
  while (!text.empty() && isBlank(text.back())) text.pop_back();
  if (!text.empty()) {
    (*last)["text"] = text;
    return;
  }
  blocks.pop_back();
  if (blocks.empty()) turns.pop_back();
}

// A lone plain text block is sent as a string, the form most requests have.
json::value compact(json::array blocks) {
  if (blocks.size() == 1) {
    const auto& b = blocks[0].get_object();
    if (b.size() == 2 && stringField(b, "type") == "text") return b.at("text");
  }
  return blocks;
}

Result<json::array> convertTools(const json::value& tools) {
  const auto* arr = tools.if_array();
  if (!arr) return badRequest("'tools' must be an array.", "tools");
  json::array out;
  for (size_t i = 0; i < arr->size(); ++i) {
    const auto* tool = (*arr)[i].if_object();
    if (!tool) return badRequest("A tool must be an object.", indexed("tools", i));
    const auto* fn = tool->if_contains("function");
    if (stringField(*tool, "type") != "function" && !fn) {
      // Anthropic's own tool types (web_search_..., bash_..., text_editor_...) pass as given.
      out.emplace_back(*tool);
      continue;
    }
    if (!fn || !fn->is_object()) {
      return badRequest("A function tool needs a 'function' object.", indexed("tools", i));
    }
    const auto& f = fn->get_object();
    json::object t{{"name", stringField(f, "name")}};
    if (const auto* d = f.if_contains("description"); d && d->is_string()) t["description"] = *d;
    const auto* params = f.if_contains("parameters");
    t["input_schema"] = params && params->is_object()
                            ? *params
                            : json::value(json::object{{"type", "object"}, {"properties", {}}});
    copyCacheControl(f, t);
    copyCacheControl(*tool, t);
    out.emplace_back(std::move(t));
  }
  return out;
}

Result<json::object> convertToolChoice(const json::value& choice) {
  if (choice.is_string()) {
    const std::string_view s = choice.get_string();
    if (s == "auto") return json::object{{"type", "auto"}};
    if (s == "none") return json::object{{"type", "none"}};
    if (s == "required") return json::object{{"type", "any"}};
  } else if (const auto* obj = choice.if_object()) {
    const auto* fn = obj->if_contains("function");
    const std::string_view name =
        fn && fn->is_object() ? stringField(fn->get_object(), "name") : std::string_view();
    if (!name.empty()) return json::object{{"type", "tool"}, {"name", name}};
  }
  return badRequest("'tool_choice' must be \"auto\", \"none\", \"required\" or a named function.",
                    "tool_choice");
}

// The schema of the JSON tool for response_format, or null for none.
Result<json::value> jsonToolSchema(const json::value& format) {
  const auto* obj = format.if_object();
  if (!obj) return badRequest("'response_format' must be an object.", "response_format");
  const std::string_view type = stringField(*obj, "type");
  if (type == "text") return json::value();
  if (type == "json_object") {
    return json::object{{"type", "object"}, {"additionalProperties", true}};
  }
  if (type == "json_schema") {
    const auto* js = obj->if_contains("json_schema");
    const auto* schema = js && js->is_object() ? js->get_object().if_contains("schema") : nullptr;
    if (!schema || !schema->is_object()) {
      return badRequest("response_format.json_schema.schema must be an object.",
                        "response_format.json_schema.schema");
    }
    return *schema;
  }
  return badRequest("Unknown response_format type '" + std::string(type) + "'.",
                    "response_format.type");
}

}  // namespace

int64_t defaultMaxTokens(std::string_view model) {
  for (const auto& row : kMaxTokensTable) {
    if (model.find(row.family) != std::string_view::npos) return row.tokens;
  }
  return kFallbackMaxTokens;
}

Result<json::object> toMessagesRequest(const json::object& in, const Deployment& d, bool stream) {
  json::object out;
  out["model"] = d.upstreamModel;
  for (const auto& [key, value] : in) {
    const ParamRow* row = findParam(key);
    if (!row) {
      out[key] = value;
      continue;
    }
    if (row->use != ParamUse::kUnsupported || isNeutral(key, value) || d.dropParams) continue;
    return badRequest("Anthropic does not support the parameter '" + std::string(key) +
                          "'. Remove it, or set drop_params: true to drop it.",
                      std::string(key), "unsupported_parameter");
  }

  Conversation conv;
  const auto* messages = in.if_contains("messages");
  if (!messages || !messages->is_array())
    return badRequest("'messages' must be an array.", "messages");
  const auto& list = messages->get_array();
  for (size_t i = 0; i < list.size(); ++i) {
    const auto* m = list[i].if_object();
    if (!m) return badRequest("A message must be an object.", indexed("messages", i));
    if (auto r = convertMessage(*m, indexed("messages", i), conv); !r) return r.error();
  }
  trimPrefill(conv.turns);

  // Thinking: Anthropic's own object as given, else from OpenAI's reasoning_effort.
  int64_t thinkingBudget = 0;
  if (const auto* t = in.if_contains("thinking"); t && t->is_object()) {
    out["thinking"] = *t;
    if (const auto* b = t->get_object().if_contains("budget_tokens")) {
      thinkingBudget = integerOf(*b).value_or(0);
    }
  } else if (const auto* e = in.if_contains("reasoning_effort"); e && !e->is_null()) {
    const std::string_view effort = e->is_string() ? std::string_view(e->get_string()) : "";
    if (effort != "none") {
      thinkingBudget = common::thinkingBudgetForEffort(effort).value_or(0);
      if (thinkingBudget == 0) {
        return badRequest("'reasoning_effort' must be none, minimal, low, medium or high.",
                          "reasoning_effort");
      }
      out["thinking"] = json::object{{"type", "enabled"}, {"budget_tokens", thinkingBudget}};
    }
  }

  const json::value* limit = nullptr;
  for (std::string_view key : {"max_completion_tokens", "max_tokens"}) {
    if (const auto* v = in.if_contains(key); v && !v->is_null() && !limit) limit = v;
  }
  if (limit) {
    const auto n = integerOf(*limit);
    if (!n || *n < 1) return badRequest("'max_tokens' must be a positive integer.", "max_tokens");
    out["max_tokens"] = *n;
  } else {
    int64_t n = defaultMaxTokens(d.upstreamModel);
    // The thinking budget is part of max_tokens and must stay below it.
    if (thinkingBudget >= n) n += thinkingBudget;
    out["max_tokens"] = n;
  }

  if (!conv.system.empty()) out["system"] = compact(std::move(conv.system));
  json::array turns;
  for (auto& t : conv.turns) {
    turns.emplace_back(json::object{{"role", t.role}, {"content", compact(std::move(t.blocks))}});
  }
  out["messages"] = std::move(turns);

  if (const auto* stop = in.if_contains("stop"); stop && !stop->is_null()) {
    if (stop->is_string()) {
      out["stop_sequences"] = json::array{*stop};
    } else if (stop->is_array()) {
      for (const auto& s : stop->get_array()) {
        if (!s.is_string()) return badRequest("'stop' must be a string or strings.", "stop");
      }
      out["stop_sequences"] = *stop;
    } else {
      return badRequest("'stop' must be a string or an array of strings.", "stop");
    }
  }
  for (std::string_view key : {"temperature", "top_p", "top_k"}) {
    if (const auto* v = in.if_contains(key); v && !v->is_null()) out[key] = *v;
  }

  json::array tools;
  if (const auto* t = in.if_contains("tools"); t && !t->is_null()) {
    auto converted = convertTools(*t);
    if (!converted) return converted.error();
    tools = std::move(*converted);
  }
  json::object choice;
  if (const auto* c = in.if_contains("tool_choice"); c && !c->is_null()) {
    auto converted = convertToolChoice(*c);
    if (!converted) return converted.error();
    choice = std::move(*converted);
  }
  if (const auto* f = in.if_contains("response_format"); f && !f->is_null()) {
    auto schema = jsonToolSchema(*f);
    if (!schema) return schema.error();
    if (!schema->is_null()) {
      // Forcing a tool is incompatible with thinking, and the client's own tools keep their
      // choice: only a plain JSON request forces the JSON tool.
      if (tools.empty() && thinkingBudget == 0 && !in.contains("thinking")) {
        choice = json::object{{"type", "tool"}, {"name", kJsonToolName}};
      }
      tools.emplace_back(json::object{{"name", kJsonToolName},
                                      {"description", "Respond with a JSON object."},
                                      {"input_schema", std::move(*schema)}});
    }
  }
  if (const auto* p = in.if_contains("parallel_tool_calls");
      p && p->is_bool() && !p->get_bool() && !tools.empty()) {
    if (choice.empty()) choice["type"] = "auto";
    if (stringField(choice, "type") != "none") choice["disable_parallel_tool_use"] = true;
  }
  if (!tools.empty()) out["tools"] = std::move(tools);
  if (!choice.empty()) out["tool_choice"] = std::move(choice);

  if (const auto* u = in.if_contains("user"); u && u->is_string() && !u->get_string().empty()) {
    out["metadata"] = json::object{{"user_id", *u}};
  }
  if (stream) out["stream"] = true;
  return out;
}

}  // namespace switchyard::anthropic
