#include "api/anthropic/messages_request_content.hpp"

#include <boost/json/serialize.hpp>

#include "api/anthropic/messages_request_fields.hpp"

namespace switchyard::anthropic_in {

namespace json = boost::json;

namespace {

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

// The image as an OpenAI image_url part; none for a source only Anthropic knows (left out).
Result<std::optional<json::object>> imagePart(const json::object& block, const std::string& path,
                                              LeftOut& left) {
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
    left.add(unsupported(join(srcPath, "type"), "image source type '" + std::string(*type) + "'"));
    return std::nullopt;
  }
  return json::object{{"type", "image_url"}, {"image_url", json::object{{"url", std::move(url)}}}};
}

// Text blocks inside a tool_result or a document's content source. Images go to `images`
// (OpenAI tool messages carry text only; the caller moves them into the next user message).
Result<std::string> textOfBlocks(const json::value& content, const std::string& path,
                                 json::array* images, LeftOut& left) {
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
      auto part = imagePart(block, bPath, left);
      if (!part) return part.error();
      if (*part) images->push_back(std::move(**part));
    } else {
      left.add(
          unsupported(join(bPath, "type"), "content block type '" + std::string(*type) + "' here"));
    }
  }
  return text;
}

// A text document's text; none for a source only Anthropic knows (left out).
Result<std::optional<std::string>> documentText(const json::object& block, const std::string& path,
                                                LeftOut& left) {
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
    auto text = textOfBlocks(*content, join(srcPath, "content"), nullptr, left);
    if (!text) return text.error();
    return std::move(*text);
  }
  left.add(unsupported(join(srcPath, "type"),
                       "document source type '" + std::string(*type) + "' (only text documents)"));
  return std::nullopt;
}

// Appends the OpenAI messages for one Anthropic user message: tool results first (they must
// follow the assistant's tool_calls), then the rest of the content as one user message.
Result<void> convertUser(const json::array& blocks, const std::string& path, json::array& out,
                         LeftOut& left) {
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
      auto part = imagePart(block, bPath, left);
      if (!part) return part.error();
      if (*part) parts.add(std::move(**part));
    } else if (*type == "document") {
      auto text = documentText(block, bPath, left);
      if (!text) return text.error();
      if (*text) parts.addText(**text, block);
    } else if (*type == "tool_result") {
      auto id = requiredString(block, bPath, "tool_use_id");
      if (!id) return id.error();
      std::string text;
      if (const auto* content = block.if_contains("content"); content && !content->is_null()) {
        auto t = textOfBlocks(*content, join(bPath, "content"), &images, left);
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
      left.add(unsupported(join(bPath, "type"), "content block type '" + std::string(*type) + "'"));
    }
  }
  for (auto& img : images) parts.add(std::move(img.get_object()));
  if (!parts.parts.empty()) {
    out.push_back(json::object{{"role", "user"}, {"content", std::move(parts).content()}});
  }
  return {};
}

Result<void> convertAssistant(const json::array& blocks, const std::string& path, json::array& out,
                              LeftOut& left) {
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
      left.add(unsupported(join(bPath, "type"), "content block type '" + std::string(*type) + "'"));
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

}  // namespace

Result<json::array> convertMessages(const json::object& root, const json::value* system,
                                    LeftOut& left) {
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
    auto r = *role == "user" ? convertUser(content->get_array(), cPath, out, left)
                             : convertAssistant(content->get_array(), cPath, out, left);
    if (!r) return r.error();
  }
  return out;
}

}  // namespace switchyard::anthropic_in
