// POST /v1/messages/count_tokens, estimated for backends that cannot count.

#include <boost/json/serialize.hpp>

#include "api/anthropic/messages_request.hpp"
#include "api/anthropic/messages_request_fields.hpp"
#include "api/token_estimate.hpp"

namespace switchyard {

using namespace anthropic_in;
namespace json = boost::json;

namespace {

using token_estimate::codePoints;

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
  const int64_t tokens = token_estimate::tokens(chars, images);
  return json::serialize(json::object{{"input_tokens", tokens}});
}

}  // namespace switchyard
