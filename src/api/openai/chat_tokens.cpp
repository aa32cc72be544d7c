#include "api/openai/chat_tokens.hpp"

#include <boost/json/serialize.hpp>

#include "api/token_count.hpp"

namespace switchyard {

namespace json = boost::json;

namespace {

void countContent(const json::value& content, TokenTally& tally) {
  if (content.is_string()) {
    tally.text(content.get_string());
    return;
  }
  if (!content.is_array()) return;
  for (const auto& p : content.get_array()) {
    const auto* part = p.if_object();
    if (!part) continue;
    if (const auto* text = part->if_contains("text"); text && text->is_string()) {
      tally.text(text->get_string());
    }
    if (const auto* image = part->if_contains("image_url")) {
      const auto* o = image->if_object();
      const auto* detail = o ? o->if_contains("detail") : nullptr;
      tally.image(detail && detail->is_string() && detail->get_string() == "low");
    }
  }
}

}  // namespace

void countChatMessage(const json::object& message, TokenTally& tally) {
  const auto* role = message.if_contains("role");
  tally.message(role && role->is_string() ? std::string_view(role->get_string()) : "");
  for (const auto& [key, value] : message) {
    if (key == "role") continue;
    if (key == "content") {
      countContent(value, tally);
    } else if (key == "tool_calls" && value.is_array()) {
      for (const auto& call : value.get_array()) {
        const auto* fn = call.is_object() ? call.get_object().if_contains("function") : nullptr;
        if (!fn || !fn->is_object()) continue;
        for (const char* field : {"name", "arguments"}) {
          const auto* s = fn->get_object().if_contains(field);
          if (s && s->is_string()) tally.rendered(s->get_string());
        }
      }
    } else if (value.is_string()) {
      // The cookbook counts every string field of a message (name, tool_call_id, ...).
      tally.text(value.get_string());
      if (key == "name") tally.name();
    }
  }
}

void countChatTools(const json::array& tools, TokenTally& tally) {
  for (const auto& tool : tools) tally.rendered(json::serialize(tool));
}

}  // namespace switchyard
