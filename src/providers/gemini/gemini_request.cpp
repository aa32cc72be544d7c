// OpenAI chat body → Google generateContent body.

#include <array>
#include <map>

#include "core/text.hpp"
#include "providers/common/content.hpp"
#include "providers/common/errors.hpp"
#include "providers/common/json_fields.hpp"
#include "providers/common/reasoning_effort.hpp"
#include "providers/common/thought_signature.hpp"
#include "providers/gemini/gemini_translate.hpp"

namespace switchyard {

namespace json = boost::json;
using namespace common;

namespace {

Error invalid(std::string param, std::string message) {
  return Error::make(ErrorClass::kBadRequest, std::move(message), std::move(param),
                     "invalid_value");
}

Error unsupported(std::string param) {
  return Error::make(ErrorClass::kBadRequest,
                     "Parameter '" + param +
                         "' is not supported by Google's Gemini API; set drop_params: true to "
                         "drop it.",
                     param, "unsupported_parameter");
}

// JSON-schema keywords Google's Schema object rejects.
constexpr std::array<std::string_view, 22> kDroppedSchemaKeys = {"additionalProperties",
                                                                 "$schema",
                                                                 "$id",
                                                                 "$comment",
                                                                 "$defs",
                                                                 "definitions",
                                                                 "strict",
                                                                 "examples",
                                                                 "patternProperties",
                                                                 "unevaluatedProperties",
                                                                 "dependentRequired",
                                                                 "dependentSchemas",
                                                                 "if",
                                                                 "then",
                                                                 "else",
                                                                 "not",
                                                                 "contentEncoding",
                                                                 "contentMediaType",
                                                                 "readOnly",
                                                                 "writeOnly",
                                                                 "deprecated",
                                                                 "uniqueItems"};

bool droppedSchemaKey(std::string_view key) {
  for (auto k : kDroppedSchemaKeys) {
    if (k == key) return true;
  }
  return false;
}

constexpr int kMaxSchemaDepth = 32;

// A JSON schema as Google accepts it: unsupported keywords dropped, local $refs inlined,
// ["T","null"] types turned into nullable, oneOf into anyOf, const into enum.
json::value cleanSchema(const json::value& schema, const json::object& root, int depth) {
  const auto* obj = schema.if_object();
  if (!obj) return schema;
  if (depth > kMaxSchemaDepth) return json::object{{"type", "object"}};
  if (auto ref = stringField(*obj, "$ref"); !ref.empty()) {
    for (std::string_view prefix : {"#/$defs/", "#/definitions/"}) {
      if (!ref.starts_with(prefix)) continue;
      const auto* defs = objectField(root, prefix.substr(2, prefix.size() - 3));
      const auto* target = defs ? defs->if_contains(ref.substr(prefix.size())) : nullptr;
      if (target) return cleanSchema(*target, root, depth + 1);
    }
    return json::object{{"type", "object"}};
  }
  json::object out;
  for (const auto& [key, value] : *obj) {
    if (droppedSchemaKey(key)) continue;
    if (key == "properties" && value.is_object()) {
      json::object props;
      for (const auto& [name, prop] : value.get_object()) {
        props[name] = cleanSchema(prop, root, depth + 1);
      }
      if (!props.empty()) out["properties"] = std::move(props);
    } else if (key == "items") {
      const json::value& item =
          value.is_array() && !value.get_array().empty() ? value.get_array().front() : value;
      out["items"] = cleanSchema(item, root, depth + 1);
    } else if ((key == "anyOf" || key == "oneOf" || key == "allOf") && value.is_array()) {
      json::array each;
      for (const auto& s : value.get_array()) each.push_back(cleanSchema(s, root, depth + 1));
      out[key == "allOf" ? "allOf" : "anyOf"] = std::move(each);
    } else if (key == "type" && value.is_array()) {
      std::string_view chosen;
      bool nullable = false;
      for (const auto& t : value.get_array()) {
        if (!t.is_string()) continue;
        if (t.get_string() == "null") {
          nullable = true;
        } else if (chosen.empty()) {
          chosen = t.get_string();
        }
      }
      if (!chosen.empty()) out["type"] = chosen;
      if (nullable) out["nullable"] = true;
    } else if (key == "const") {
      out["enum"] = json::array{value};
    } else {
      out[key] = value;
    }
  }
  if (!out.contains("properties")) out.erase("required");
  return out;
}

json::value cleanSchema(const json::value& schema) {
  static const json::object kEmpty;
  const auto* root = schema.if_object();
  return cleanSchema(schema, root ? *root : kEmpty, 0);
}

// The MIME type a URL's extension suggests; Vertex requires one for fileData.
std::string_view mimeTypeFor(std::string_view url) {
  std::string_view path = url.substr(0, url.find_first_of("?#"));
  const size_t dot = path.rfind('.');
  if (dot == std::string_view::npos || path.find('/', dot) != std::string_view::npos) {
    return "image/jpeg";
  }
  const std::string ext = asciiLower(path.substr(dot + 1));
  static const std::map<std::string, std::string_view, std::less<>> kTypes = {
      {"jpg", "image/jpeg"},  {"jpeg", "image/jpeg"},     {"png", "image/png"},
      {"gif", "image/gif"},   {"webp", "image/webp"},     {"heic", "image/heic"},
      {"heif", "image/heif"}, {"pdf", "application/pdf"}, {"txt", "text/plain"},
      {"mp3", "audio/mp3"},   {"wav", "audio/wav"},       {"flac", "audio/flac"},
      {"mp4", "video/mp4"},   {"mov", "video/mov"},       {"webm", "video/webm"}};
  auto it = kTypes.find(ext);
  return it == kTypes.end() ? std::string_view("image/jpeg") : it->second;
}

// data: URLs become inline bytes; anything else is a URI Google fetches.
Result<json::object> mediaPart(std::string_view url, const std::string& param) {
  if (url.starts_with("data:")) {
    // Google takes a bare MIME type: a media type with parameters is refused.
    const auto dataUrl = parseBase64DataUrl(url);
    if (!dataUrl || dataUrl->mediaType.find(';') != std::string_view::npos) {
      return invalid(param, "Only base64 data: URLs are supported (data:<mime>;base64,...).");
    }
    return json::object{
        {"inlineData", json::object{{"mimeType", dataUrl->mediaType}, {"data", dataUrl->data}}}};
  }
  if (url.empty()) return invalid(param, "The media URL is empty.");
  return json::object{{"fileData", json::object{{"mimeType", mimeTypeFor(url)}, {"fileUri", url}}}};
}

// OpenAI message content (string or array of parts) → Google parts.
Result<json::array> contentParts(const json::value* content, const std::string& param) {
  json::array parts;
  if (!content || content->is_null()) return parts;
  if (content->is_string()) {
    parts.push_back(json::object{{"text", content->get_string()}});
    return parts;
  }
  if (!content->is_array()) return invalid(param, "content must be a string or an array.");
  size_t i = 0;
  for (const auto& item : content->get_array()) {
    const std::string where = param + "[" + std::to_string(i++) + "]";
    const auto* part = item.if_object();
    if (!part) return invalid(where, "A content part must be an object.");
    const auto type = stringField(*part, "type");
    if (type == "text") {
      parts.push_back(json::object{{"text", stringField(*part, "text")}});
    } else if (type == "refusal") {
      parts.push_back(json::object{{"text", stringField(*part, "refusal")}});
    } else if (type == "image_url") {
      auto media = mediaPart(imageUrl(*part), where + ".image_url.url");
      if (!media) return media.error();
      parts.push_back(std::move(*media));
    } else if (type == "input_audio") {
      const auto* audio = objectField(*part, "input_audio");
      if (!audio) return invalid(where + ".input_audio", "input_audio must be an object.");
      std::string mime = "audio/" + std::string(stringField(*audio, "format"));
      parts.push_back(json::object{
          {"inlineData", json::object{{"mimeType", mime}, {"data", stringField(*audio, "data")}}}});
    } else if (type == "file") {
      const auto* file = objectField(*part, "file");
      std::string_view url = file ? stringField(*file, "file_data") : std::string_view();
      if (url.empty() && file) url = stringField(*file, "file_id");
      auto media = mediaPart(url, where + ".file");
      if (!media) return media.error();
      parts.push_back(std::move(*media));
    } else {
      return invalid(where + ".type",
                     "Content part type '" + std::string(type) + "' is not supported by Gemini.");
    }
  }
  return parts;
}

// Google expects a JSON object as the function's response.
json::object functionResponse(std::string_view name, const std::string& text) {
  boost::system::error_code ec;
  json::value parsed = json::parse(text, ec);
  json::object response;
  if (!ec && parsed.is_object()) {
    response = std::move(parsed.get_object());
  } else {
    response["content"] = text;
  }
  return json::object{
      {"functionResponse", json::object{{"name", name}, {"response", std::move(response)}}}};
}

// Adjacent turns of one role are merged: Google wants the results of parallel calls in one turn.
void appendTurn(json::array& contents, std::string_view role, json::array parts) {
  if (parts.empty()) return;
  if (!contents.empty()) {
    auto& last = contents.back().get_object();
    if (stringField(last, "role") == role) {
      auto& existing = last["parts"].get_array();
      for (auto& p : parts) existing.push_back(std::move(p));
      return;
    }
  }
  contents.push_back(json::object{{"role", role}, {"parts", std::move(parts)}});
}

// Gemini 3 refuses a conversation whose model turns hold a function call without its thought
// signature. A call from another model (or a client that lost the signature) gets the value
// Google documents for that case, on the first call of its turn as Gemini itself signs them.
constexpr std::string_view kStandInSignature = "skip_thought_signature_validator";

bool signsFunctionCalls(std::string_view upstreamModel) {
  return upstreamModel.find("gemini-3") != std::string_view::npos;
}

Result<void> translateMessages(const json::array& messages, json::object& out,
                               bool needsSignatures) {
  json::array contents;
  json::array systemParts;
  std::map<std::string, std::string, std::less<>> callNames;  // tool_call id → function name
  for (size_t i = 0; i < messages.size(); ++i) {
    const std::string param = "messages[" + std::to_string(i) + "]";
    const auto* msg = messages[i].if_object();
    if (!msg) return invalid(param, "A message must be an object.");
    const auto role = stringField(*msg, "role");
    const auto* content = msg->if_contains("content");
    if (role == "system" || role == "developer") {
      auto parts = contentParts(content, param + ".content");
      if (!parts) return parts.error();
      for (auto& p : *parts) systemParts.push_back(std::move(p));
    } else if (role == "user") {
      auto parts = contentParts(content, param + ".content");
      if (!parts) return parts.error();
      appendTurn(contents, "user", std::move(*parts));
    } else if (role == "assistant") {
      auto parts = contentParts(content, param + ".content");
      if (!parts) return parts.error();
      if (const auto* calls = arrayField(*msg, "tool_calls")) {
        for (size_t j = 0; j < calls->size(); ++j) {
          const std::string where = param + ".tool_calls[" + std::to_string(j) + "]";
          const auto* call = (*calls)[j].if_object();
          const auto* fn = call ? objectField(*call, "function") : nullptr;
          if (!fn) return invalid(where, "A tool call must have a function.");
          json::value args = json::object();
          if (auto text = stringField(*fn, "arguments"); !text.empty()) {
            boost::system::error_code ec;
            args = json::parse(text, ec);
            if (ec || !args.is_object()) {
              return invalid(where + ".function.arguments", "arguments must be a JSON object.");
            }
          }
          const auto name = stringField(*fn, "name");
          callNames[std::string(stringField(*call, "id"))] = std::string(name);
          json::object part{
              {"functionCall", json::object{{"name", name}, {"args", std::move(args)}}}};
          if (const auto sig = thoughtSignatureOf(*call); !sig.empty()) {
            part["thoughtSignature"] = sig;
          } else if (needsSignatures && j == 0) {
            part["thoughtSignature"] = kStandInSignature;
          }
          parts->push_back(std::move(part));
        }
      }
      appendTurn(contents, "model", std::move(*parts));
    } else if (role == "tool" || role == "function") {
      std::string name;
      if (role == "function") {
        name = std::string(stringField(*msg, "name"));
      } else {
        auto it = callNames.find(stringField(*msg, "tool_call_id"));
        if (it == callNames.end()) {
          return invalid(param + ".tool_call_id",
                         "tool_call_id does not match a tool call of an earlier assistant "
                         "message.");
        }
        name = it->second;
      }
      appendTurn(
          contents, "user",
          json::array{functionResponse(name, content ? contentText(*content) : std::string())});
    } else {
      return invalid(param + ".role", "Unknown message role '" + std::string(role) + "'.");
    }
  }
  if (contents.empty() && !systemParts.empty()) {
    // Google refuses a request without contents: a lone system prompt becomes the user turn.
    appendTurn(contents, "user", std::move(systemParts));
    systemParts = {};
  }
  out["contents"] = std::move(contents);
  if (!systemParts.empty()) {
    out["systemInstruction"] = json::object{{"parts", std::move(systemParts)}};
  }
  return {};
}

bool isGoogleNativeTool(const json::object& tool) {
  for (std::string_view key :
       {"googleSearch", "google_search", "googleSearchRetrieval", "google_search_retrieval",
        "codeExecution", "code_execution", "urlContext", "url_context"}) {
    if (tool.contains(key)) return true;
  }
  return false;
}

Result<void> translateTools(const json::value& tools, bool dropParams, json::object& out) {
  if (tools.is_null()) return {};
  if (!tools.is_array()) return invalid("tools", "tools must be an array.");
  json::array declarations;
  json::array googleTools;
  size_t i = 0;
  for (const auto& t : tools.get_array()) {
    const std::string param = "tools[" + std::to_string(i++) + "]";
    const auto* tool = t.if_object();
    if (!tool) return invalid(param, "A tool must be an object.");
    if (stringField(*tool, "type") != "function") {
      if (!tool->contains("type") && isGoogleNativeTool(*tool)) {
        googleTools.push_back(*tool);
        continue;
      }
      if (dropParams) continue;
      return unsupported(param + ".type");
    }
    const auto* fn = objectField(*tool, "function");
    if (!fn || stringField(*fn, "name").empty()) {
      return invalid(param + ".function.name", "A function tool needs a name.");
    }
    json::object decl{{"name", stringField(*fn, "name")}};
    if (auto d = stringField(*fn, "description"); !d.empty()) decl["description"] = d;
    if (const auto* params = fn->if_contains("parameters"); params && params->is_object()) {
      json::value cleaned = cleanSchema(*params);
      // A function without parameters must omit them: Google rejects an empty OBJECT schema.
      if (cleaned.is_object() && cleaned.get_object().contains("properties")) {
        decl["parameters"] = std::move(cleaned);
      }
    }
    declarations.push_back(std::move(decl));
  }
  json::array result;
  if (!declarations.empty()) {
    result.push_back(json::object{{"functionDeclarations", std::move(declarations)}});
  }
  for (auto& g : googleTools) result.push_back(std::move(g));
  if (!result.empty()) out["tools"] = std::move(result);
  return {};
}

Result<void> translateToolChoice(const json::value& choice, json::object& out) {
  json::object config;
  if (choice.is_string()) {
    const auto mode = choice.get_string();
    if (mode == "auto") {
      config["mode"] = "AUTO";
    } else if (mode == "none") {
      config["mode"] = "NONE";
    } else if (mode == "required") {
      config["mode"] = "ANY";
    } else {
      return invalid("tool_choice", "tool_choice must be auto, none, required or a function.");
    }
  } else if (const auto* obj = choice.if_object()) {
    const auto* fn = objectField(*obj, "function");
    const auto name = fn ? stringField(*fn, "name") : std::string_view();
    if (name.empty()) return invalid("tool_choice", "tool_choice.function.name is missing.");
    config["mode"] = "ANY";
    config["allowedFunctionNames"] = json::array{name};
  } else if (!choice.is_null()) {
    return invalid("tool_choice", "tool_choice must be a string or an object.");
  }
  if (!config.empty()) {
    out["toolConfig"] = json::object{{"functionCallingConfig", std::move(config)}};
  }
  return {};
}

Result<void> translateResponseFormat(const json::value& format, json::object& generation) {
  if (format.is_null()) return {};
  const auto* obj = format.if_object();
  if (!obj) return invalid("response_format", "response_format must be an object.");
  const auto type = stringField(*obj, "type");
  if (type == "text") return {};
  if (type == "json_object") {
    generation["responseMimeType"] = "application/json";
    return {};
  }
  if (type == "json_schema") {
    generation["responseMimeType"] = "application/json";
    const auto* spec = objectField(*obj, "json_schema");
    const auto* schema = spec ? spec->if_contains("schema") : nullptr;
    if (schema && schema->is_object()) generation["responseSchema"] = cleanSchema(*schema);
    return {};
  }
  return invalid("response_format.type",
                 "response_format.type must be text, json_object or json_schema.");
}

// The shared thinking budgets, but minimal is 128: Gemini 2.5 Pro cannot think less.
Result<void> translateReasoningEffort(const json::value& effort, json::object& generation) {
  if (effort.is_null()) return {};
  const auto level = effort.is_string() ? std::string_view(effort.get_string()) : "";
  auto budget = level == "minimal" ? std::optional<int64_t>(128) : thinkingBudgetForEffort(level);
  if (!budget) {
    return invalid("reasoning_effort",
                   "reasoning_effort must be none, minimal, low, medium or "
                   "high.");
  }
  json::object thinking{{"thinkingBudget", *budget}};
  if (*budget > 0) thinking["includeThoughts"] = true;
  generation["thinkingConfig"] = std::move(thinking);
  return {};
}

// OpenAI parameters with no Gemini counterpart.
constexpr std::array<std::string_view, 10> kUnsupported = {
    "audio",        "function_call", "functions",  "logit_bias", "logprobs",
    "top_logprobs", "modalities",    "prediction", "verbosity",  "web_search_options"};

bool meaningful(const json::value& v) {
  if (v.is_null()) return false;
  if (v.is_bool()) return v.get_bool();
  return true;
}

}  // namespace

Result<json::object> geminiChatRequest(const json::object& body, bool dropParams,
                                       std::string_view upstreamModel) {
  json::object out;
  const auto* messages = arrayField(body, "messages");
  if (!messages) return invalid("messages", "messages must be an array.");
  if (auto r = translateMessages(*messages, out, signsFunctionCalls(upstreamModel)); !r) {
    return r.error();
  }

  json::object generation;
  auto number = [&](std::string_view from, std::string_view to) -> Result<void> {
    const auto* v = body.if_contains(from);
    if (!v || v->is_null()) return {};
    if (!v->is_number())
      return invalid(std::string(from), std::string(from) + " must be a number.");
    generation[to] = *v;
    return {};
  };
  for (auto [from, to] : std::initializer_list<std::pair<std::string_view, std::string_view>>{
           {"temperature", "temperature"},
           {"top_p", "topP"},
           {"top_k", "topK"},
           {"max_tokens", "maxOutputTokens"},
           {"max_completion_tokens", "maxOutputTokens"},
           {"n", "candidateCount"},
           {"seed", "seed"},
           {"presence_penalty", "presencePenalty"},
           {"frequency_penalty", "frequencyPenalty"}}) {
    if (auto r = number(from, to); !r) return r.error();
  }
  if (const auto* stop = body.if_contains("stop"); stop && !stop->is_null()) {
    if (stop->is_string()) {
      generation["stopSequences"] = json::array{*stop};
    } else if (stop->is_array()) {
      generation["stopSequences"] = *stop;
    } else {
      return invalid("stop", "stop must be a string or an array of strings.");
    }
  }
  if (const auto* f = body.if_contains("response_format")) {
    if (auto r = translateResponseFormat(*f, generation); !r) return r.error();
  }
  if (const auto* e = body.if_contains("reasoning_effort")) {
    if (auto r = translateReasoningEffort(*e, generation); !r) return r.error();
  }
  if (!generation.empty()) out["generationConfig"] = std::move(generation);

  if (const auto* tools = body.if_contains("tools")) {
    if (auto r = translateTools(*tools, dropParams, out); !r) return r.error();
  }
  if (const auto* choice = body.if_contains("tool_choice")) {
    if (auto r = translateToolChoice(*choice, out); !r) return r.error();
  }
  // Google-specific fields a client may pass along.
  for (auto [from, to] : std::initializer_list<std::pair<std::string_view, std::string_view>>{
           {"safety_settings", "safetySettings"},
           {"safetySettings", "safetySettings"},
           {"cached_content", "cachedContent"},
           {"cachedContent", "cachedContent"}}) {
    if (const auto* v = body.if_contains(from)) out[to] = *v;
  }

  for (auto key : kUnsupported) {
    const auto* v = body.if_contains(key);
    if (!v || !meaningful(*v) || dropParams) continue;
    // Text-only output is what Gemini gives anyway.
    if (key == "modalities" && v->is_array() && v->get_array().size() == 1 &&
        v->get_array()[0] == "text") {
      continue;
    }
    return unsupported(std::string(key));
  }
  return out;
}

}  // namespace switchyard
