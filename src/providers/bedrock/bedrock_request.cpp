// OpenAI request bodies → Bedrock Converse and InvokeModel (embeddings) bodies.

#include <array>

#include "providers/bedrock/bedrock_adapter.hpp"
#include "providers/common/content.hpp"
#include "providers/common/errors.hpp"
#include "providers/common/json_fields.hpp"
#include "providers/common/reasoning_effort.hpp"
#include "providers/common/request_params.hpp"

namespace switchyard::bedrock {

namespace json = boost::json;
using common::arrayField;
using common::badRequest;
using common::objectField;
using common::stringField;

namespace {

constexpr std::string_view kProvider = "Bedrock";

// OpenAI parameters Converse has no field for.
constexpr std::array<std::string_view, 11> kUnsupported = {"frequency_penalty", "presence_penalty",
                                                           "logit_bias",        "logprobs",
                                                           "top_logprobs",      "seed",
                                                           "response_format",   "audio",
                                                           "modalities",        "prediction",
                                                           "web_search_options"};

bool isClaude(std::string_view modelId) {
  return modelId.find("anthropic.claude") != std::string_view::npos;
}

bool falsy(const json::value& v) {
  return v.is_null() || (v.is_bool() && !v.get_bool()) ||
         (v.is_object() && v.get_object().empty()) || (v.is_string() && v.get_string() == "text") ||
         (v.is_object() && stringField(v.get_object(), "type") == "text");
}

void addCachePoint(const json::object& part, json::array& blocks) {
  if (part.contains("cache_control")) {
    blocks.emplace_back(json::object{{"cachePoint", json::object{{"type", "default"}}}});
  }
}

// "data:image/png;base64,...." → image block.
Result<json::object> imageBlock(const json::object& part) {
  const std::string_view url = common::imageUrl(part);
  if (!url.starts_with("data:")) {
    return badRequest(
        "Bedrock accepts images only as base64 data URLs (data:image/...;base64,...).", "messages");
  }
  // Converse takes the format alone (the media subtype): a type with parameters is refused.
  const auto dataUrl = common::parseBase64DataUrl(url);
  const std::string_view mediaType = dataUrl ? dataUrl->mediaType : std::string_view();
  const size_t slash = mediaType.find('/');
  if (slash == std::string_view::npos || mediaType.find(';') != std::string_view::npos) {
    return badRequest("An image data URL is malformed: expected data:image/<format>;base64,<data>.",
                      "messages");
  }
  std::string format(mediaType.substr(slash + 1));
  if (format == "jpg") format = "jpeg";
  return json::object{{"image", json::object{{"format", format},
                                             {"source", json::object{{"bytes", dataUrl->data}}}}}};
}

// User/system content → Converse content blocks; empty text is dropped (Converse rejects it).
Result<void> contentBlocks(const json::value& content, json::array& blocks, bool allowImages) {
  if (content.is_string()) {
    if (!content.get_string().empty()) {
      blocks.emplace_back(json::object{{"text", content.get_string()}});
    }
    return {};
  }
  if (content.is_null()) return {};
  const auto* parts = content.if_array();
  if (!parts)
    return badRequest("A message content must be a string or an array of parts.", "messages");
  for (const auto& p : *parts) {
    const auto* part = p.if_object();
    if (!part) return badRequest("A content part must be an object.", "messages");
    const std::string_view type = stringField(*part, "type");
    if (type == "text") {
      const std::string_view text = stringField(*part, "text");
      if (!text.empty()) blocks.emplace_back(json::object{{"text", text}});
    } else if (type == "image_url" && allowImages) {
      auto image = imageBlock(*part);
      if (!image) return image.error();
      blocks.emplace_back(std::move(*image));
    } else {
      return badRequest(
          "Bedrock does not support content parts of type '" + std::string(type) + "' here.",
          "messages");
    }
    addCachePoint(*part, blocks);
  }
  return {};
}

Result<void> assistantBlocks(const json::object& m, json::array& blocks) {
  // Thinking blocks go first: Claude requires them before the tool use they led to.
  if (const auto* thinking = arrayField(m, "thinking_blocks")) {
    for (const auto& t : *thinking) {
      const auto* block = t.if_object();
      if (!block || stringField(*block, "type") != "thinking") continue;
      json::object text{{"text", stringField(*block, "thinking")}};
      if (const auto sig = stringField(*block, "signature"); !sig.empty()) text["signature"] = sig;
      blocks.emplace_back(
          json::object{{"reasoningContent", json::object{{"reasoningText", std::move(text)}}}});
    }
  }
  if (const auto* content = m.if_contains("content")) {
    if (auto r = contentBlocks(*content, blocks, false); !r) return r;
  }
  if (const auto* calls = arrayField(m, "tool_calls")) {
    for (const auto& c : *calls) {
      const auto* call = c.if_object();
      const auto* fn = call ? objectField(*call, "function") : nullptr;
      if (!fn) return badRequest("A tool call must have a function.", "messages");
      json::value input = json::object{};
      if (const auto args = stringField(*fn, "arguments"); !args.empty()) {
        boost::system::error_code ec;
        input = json::parse(args, ec);
        if (ec || !input.is_object()) {
          return badRequest("Tool call arguments must be a JSON object.", "messages");
        }
      }
      blocks.emplace_back(
          json::object{{"toolUse", json::object{{"toolUseId", stringField(*call, "id")},
                                                {"name", stringField(*fn, "name")},
                                                {"input", std::move(input)}}}});
    }
  }
  return {};
}

json::object toolResultBlock(const json::object& m) {
  std::string text;
  if (const auto* content = m.if_contains("content")) text = common::contentText(*content);
  json::array content;
  // Converse rejects an empty text block; an empty result is still a result.
  content.emplace_back(json::object{{"text", text.empty() ? std::string("(empty)") : text}});
  return json::object{{"toolResult", json::object{{"toolUseId", stringField(m, "tool_call_id")},
                                                  {"content", std::move(content)}}}};
}

// Appends blocks as a message of `role`, merged into the previous one when the role repeats
// (Converse requires alternating roles; OpenAI sends one tool message per result).
void appendMessage(json::array& messages, std::string_view role, json::array blocks) {
  if (blocks.empty()) return;
  if (!messages.empty()) {
    auto& last = messages.back().get_object();
    if (stringField(last, "role") == role) {
      auto& content = last["content"].get_array();
      for (auto& b : blocks) content.emplace_back(std::move(b));
      return;
    }
  }
  messages.emplace_back(json::object{{"role", role}, {"content", std::move(blocks)}});
}

Result<json::object> toolConfig(const json::object& body, bool historyHasTools) {
  json::array tools;
  if (const auto* list = arrayField(body, "tools")) {
    for (const auto& t : *list) {
      const auto* tool = t.if_object();
      const auto* fn = tool ? objectField(*tool, "function") : nullptr;
      if (!fn || stringField(*tool, "type") != "function") {
        return badRequest("Bedrock supports only tools of type 'function'.", "tools");
      }
      json::object spec{{"name", stringField(*fn, "name")}};
      if (const auto d = stringField(*fn, "description"); !d.empty()) spec["description"] = d;
      json::value schema = json::object{{"type", "object"}, {"properties", json::object{}}};
      if (const auto* params = fn->if_contains("parameters"); params && params->is_object()) {
        schema = *params;
      }
      spec["inputSchema"] = json::object{{"json", std::move(schema)}};
      tools.emplace_back(json::object{{"toolSpec", std::move(spec)}});
    }
  }
  if (tools.empty()) return json::object{};
  json::object config{{"tools", std::move(tools)}};
  if (const auto* choice = body.if_contains("tool_choice")) {
    if (choice->is_string()) {
      const std::string_view c = choice->get_string();
      if (c == "none") {
        // Converse has no "none": leave the tools out unless the history needs their specs.
        if (!historyHasTools) return json::object{};
      } else if (c == "required") {
        config["toolChoice"] = json::object{{"any", json::object{}}};
      } else if (c == "auto") {
        config["toolChoice"] = json::object{{"auto", json::object{}}};
      } else {
        return badRequest("Unknown tool_choice '" + std::string(c) + "'.", "tool_choice");
      }
    } else if (const auto* obj = choice->if_object()) {
      const auto* fn = objectField(*obj, "function");
      const auto name = fn ? stringField(*fn, "name") : std::string_view();
      if (name.empty()) return badRequest("tool_choice names no function.", "tool_choice");
      config["toolChoice"] = json::object{{"tool", json::object{{"name", name}}}};
    }
  }
  return config;
}

}  // namespace

std::string modelId(std::string_view upstreamModel) {
  if (upstreamModel.starts_with("converse/")) upstreamModel.remove_prefix(9);
  return std::string(upstreamModel);
}

std::string modelPath(std::string_view id, std::string_view action) {
  return "/model/" + sigv4::uriEncode(id, false) + "/" + std::string(action);
}

Result<json::object> toConverse(const json::object& body, std::string_view id, bool dropParams) {
  for (std::string_view key : kUnsupported) {
    const auto* v = body.if_contains(key);
    if (v && !falsy(*v) && !dropParams) return common::unsupportedParam(kProvider, key);
  }
  if (auto ok = common::refuseSeveralChoices(body, kProvider, dropParams); !ok) return ok.error();
  auto messagesField = common::chatMessages(body);
  if (!messagesField) return messagesField.error();
  const json::array* list = *messagesField;
  json::array system;
  json::array messages;
  bool historyHasTools = false;
  for (const auto& item : *list) {
    const auto* m = item.if_object();
    if (!m) return badRequest("Each message must be an object.", "messages");
    const std::string_view role = stringField(*m, "role");
    json::array blocks;
    if (role == "system" || role == "developer") {
      if (const auto* c = m->if_contains("content")) {
        if (auto r = contentBlocks(*c, system, false); !r) return r.error();
      }
      continue;
    }
    if (role == "user") {
      if (const auto* c = m->if_contains("content")) {
        if (auto r = contentBlocks(*c, blocks, true); !r) return r.error();
      }
      appendMessage(messages, "user", std::move(blocks));
    } else if (role == "assistant") {
      if (auto r = assistantBlocks(*m, blocks); !r) return r.error();
      historyHasTools = historyHasTools || m->contains("tool_calls");
      appendMessage(messages, "assistant", std::move(blocks));
    } else if (role == "tool") {
      historyHasTools = true;
      blocks.emplace_back(toolResultBlock(*m));
      appendMessage(messages, "user", std::move(blocks));
    } else {
      return badRequest("Bedrock does not support messages with role '" + std::string(role) + "'.",
                        "messages");
    }
  }
  if (messages.empty()) return badRequest("There is no user or assistant message.", "messages");

  json::object out{{"messages", std::move(messages)}};
  if (!system.empty()) out["system"] = std::move(system);

  json::object inference;
  for (std::string_view key : {"max_completion_tokens", "max_tokens"}) {
    if (common::hasNumber(body, key)) {
      inference["maxTokens"] = common::intField(body, key);
      break;
    }
  }
  if (const auto* t = body.if_contains("temperature"); t && t->is_number()) {
    inference["temperature"] = *t;
  }
  if (const auto* p = body.if_contains("top_p"); p && p->is_number()) inference["topP"] = *p;
  if (auto stop = common::stopSequences(body)) inference["stopSequences"] = std::move(*stop);
  if (!inference.empty()) out["inferenceConfig"] = std::move(inference);

  auto tools = toolConfig(body, historyHasTools);
  if (!tools) return tools.error();
  if (!tools->empty()) out["toolConfig"] = std::move(*tools);

  json::object additional;
  if (const auto* k = body.if_contains("top_k"); k && k->is_number()) additional["top_k"] = *k;
  if (const auto* thinking = body.if_contains("thinking"); thinking && thinking->is_object()) {
    additional["thinking"] = *thinking;
  } else if (const auto effort = stringField(body, "reasoning_effort"); !effort.empty()) {
    const int64_t budget = common::thinkingBudgetForEffort(effort).value_or(0);
    if (isClaude(id) && budget > 0) {
      additional["thinking"] = json::object{{"type", "enabled"}, {"budget_tokens", budget}};
    } else if (!dropParams && effort != "none") {
      return common::unsupportedParam(kProvider, "reasoning_effort");
    }
  }
  if (!additional.empty()) out["additionalModelRequestFields"] = std::move(additional);
  return out;
}

Result<json::object> toEmbedRequest(const json::object& body, std::string_view id,
                                    bool dropParams) {
  std::vector<std::string_view> texts;
  const auto* input = body.if_contains("input");
  if (input && input->is_string()) {
    texts.push_back(input->get_string());
  } else if (input && input->is_array()) {
    for (const auto& v : input->get_array()) {
      if (!v.is_string()) {
        return badRequest("Bedrock embeddings take text inputs, not token arrays.", "input");
      }
      texts.push_back(v.get_string());
    }
  }
  if (texts.empty())
    return badRequest("input must be a string or a non-empty array of strings.", "input");

  if (id.find("titan-embed") != std::string_view::npos) {
    if (texts.size() != 1) {
      return badRequest("Titan embedding models embed one text per request; send one input.",
                        "input");
    }
    json::object out{{"inputText", texts.front()}};
    if (const auto* dims = body.if_contains("dimensions"); dims && dims->is_number()) {
      if (id.find("text-v1") != std::string_view::npos) {
        if (!dropParams) return common::unsupportedParam(kProvider, "dimensions");
      } else {
        out["dimensions"] = *dims;
      }
    }
    return out;
  }
  if (id.find("cohere.embed") != std::string_view::npos) {
    json::array list;
    for (auto t : texts) list.emplace_back(t);
    std::string_view inputType = stringField(body, "input_type");
    if (inputType.empty()) inputType = "search_document";
    json::object out{{"texts", std::move(list)}, {"input_type", inputType}};
    if (body.contains("dimensions") && !dropParams) {
      return common::unsupportedParam(kProvider, "dimensions");
    }
    return out;
  }
  return badRequest(
      "Bedrock embeddings support amazon.titan-embed-* and cohere.embed-* models, not '" +
          std::string(id) + "'.",
      "model");
}

}  // namespace switchyard::bedrock
