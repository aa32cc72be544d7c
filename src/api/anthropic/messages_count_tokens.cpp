// POST /v1/messages/count_tokens for backends that cannot count: counted by the gateway.

#include <boost/json/serialize.hpp>

#include "api/anthropic/messages_request.hpp"
#include "api/anthropic/messages_request_fields.hpp"
#include "api/token_count.hpp"

namespace switchyard {

using namespace anthropic_in;
namespace json = boost::json;

namespace {

// What the model would read in a content value (string or blocks).
void countContent(const json::value& v, TokenTally& tally) {
  if (v.is_string()) {
    tally.text(v.get_string());
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
      tally.image();
    } else if (t == "tool_use") {
      if (const auto* name = block->if_contains("name"); name && name->is_string()) {
        tally.rendered(name->get_string());
      }
      if (const auto* input = block->if_contains("input")) tally.rendered(json::serialize(*input));
    } else if (t == "tool_result") {
      if (const auto* content = block->if_contains("content")) countContent(*content, tally);
    } else if (t == "document") {
      const auto* source = block->if_contains("source");
      if (source && source->is_object()) {
        if (const auto* data = source->get_object().if_contains("data")) countContent(*data, tally);
        if (const auto* content = source->get_object().if_contains("content")) {
          countContent(*content, tally);
        }
      }
    } else {
      for (const char* key : {"text", "thinking"}) {
        if (const auto* text = block->if_contains(key); text && text->is_string()) {
          tally.text(text->get_string());
        }
      }
    }
  }
}

}  // namespace

Result<std::string> countMessagesTokens(std::string_view body, TokenTally& tally) {
  auto parsed = parseBody(body);
  if (!parsed) return parsed.error();
  const json::object& in = parsed->get_object();
  auto model = requiredString(in, "", "model");
  if (!model) return model.error();
  const auto* messages = in.if_contains("messages");
  if (!messages) return required("messages");
  if (!messages->is_array()) return wrongType("messages", "a valid list", *messages);

  // The system prompt is the first message of the translated conversation.
  if (const auto* system = in.if_contains("system")) {
    tally.message("system");
    countContent(*system, tally);
  }
  size_t i = 0;
  for (const auto& m : messages->get_array()) {
    const std::string path = join(std::string("messages"), i++);
    if (!m.is_object()) return wrongType(path, "an object", m);
    const auto* content = m.get_object().if_contains("content");
    if (!content) return required(join(path, "content"));
    const auto* role = m.get_object().if_contains("role");
    tally.message(role && role->is_string() ? std::string_view(role->get_string()) : "user");
    countContent(*content, tally);
  }
  if (const auto* tools = in.if_contains("tools"); tools && tools->is_array()) {
    for (const auto& t : tools->get_array()) {
      const auto* tool = t.if_object();
      if (!tool) continue;
      for (const char* key : {"name", "description"}) {
        if (const auto* s = tool->if_contains(key); s && s->is_string()) {
          tally.rendered(s->get_string());
        }
      }
      if (const auto* schema = tool->if_contains("input_schema")) {
        tally.rendered(json::serialize(*schema));
      }
    }
  }
  tally.reply();
  return json::serialize(json::object{{"input_tokens", tally.total()}});
}

}  // namespace switchyard
