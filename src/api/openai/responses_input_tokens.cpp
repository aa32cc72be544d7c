#include "api/openai/responses_input_tokens.hpp"

#include <boost/json/serialize.hpp>

#include "api/openai/responses_request.hpp"
#include "api/token_count.hpp"

namespace switchyard {

namespace json = boost::json;

namespace {

// What the model reads of a canonical (chat) message's content.
void countContent(const json::value& v, TokenTally& tally) {
  if (v.is_string()) {
    tally.text(v.get_string());
    return;
  }
  if (!v.is_array()) return;
  for (const auto& p : v.get_array()) {
    const auto* part = p.if_object();
    if (!part) continue;
    if (const auto* image = part->if_contains("image_url")) {
      const auto* url = image->if_object();
      const auto* detail = url ? url->if_contains("detail") : nullptr;
      tally.image(detail && detail->is_string() && detail->get_string() == "low");
    }
    if (const auto* text = part->if_contains("text"); text && text->is_string()) {
      tally.text(text->get_string());
    }
  }
}

}  // namespace

Result<std::string> countResponsesInputTokens(std::string_view body, TokenTally& tally) {
  // Counted on the canonical request, which names every input the same way whatever item held
  // it; what only a native upstream could take (hosted tools) counts nothing.
  auto parsed = parseResponsesRequest(body);
  if (!parsed) return parsed.error();
  const json::object& canonical = parsed->body();
  for (const auto& m : canonical.at("messages").get_array()) {
    const auto& message = m.get_object();
    const auto* role = message.if_contains("role");
    tally.message(role && role->is_string() ? std::string_view(role->get_string()) : "user");
    if (const auto* content = message.if_contains("content")) countContent(*content, tally);
    if (const auto* name = message.if_contains("name"); name && name->is_string()) {
      tally.text(name->get_string());
      tally.name();
    }
    if (const auto* calls = message.if_contains("tool_calls"); calls && calls->is_array()) {
      for (const auto& call : calls->get_array()) tally.rendered(json::serialize(call));
    }
  }
  if (const auto* tools = canonical.if_contains("tools")) tally.rendered(json::serialize(*tools));
  if (const auto* format = canonical.if_contains("response_format")) {
    tally.rendered(json::serialize(*format));
  }
  tally.reply();
  return json::serialize(
      json::object{{"object", "response.input_tokens"}, {"input_tokens", tally.total()}});
}

}  // namespace switchyard
