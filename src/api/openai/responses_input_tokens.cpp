#include "api/openai/responses_input_tokens.hpp"

#include <boost/json/serialize.hpp>

#include "api/openai/responses_request.hpp"
#include "api/token_estimate.hpp"

namespace switchyard {

namespace json = boost::json;

namespace {

using token_estimate::codePoints;

// Characters and images of a canonical (chat) message's content.
void countContent(const json::value& v, size_t& chars, int64_t& images) {
  if (v.is_string()) {
    chars += codePoints(v.get_string());
    return;
  }
  if (!v.is_array()) return;
  for (const auto& p : v.get_array()) {
    const auto* part = p.if_object();
    if (!part) continue;
    if (part->contains("image_url")) ++images;
    if (const auto* text = part->if_contains("text"); text && text->is_string()) {
      chars += codePoints(text->get_string());
    }
  }
}

}  // namespace

Result<std::string> responsesInputTokensEstimate(std::string_view body) {
  // Counted on the canonical request, which names every input the same way whatever item held
  // it; what only a native upstream could take (hosted tools) counts nothing.
  auto parsed = parseResponsesRequest(body);
  if (!parsed) return parsed.error();
  const json::object& canonical = parsed->body();
  size_t chars = 0;
  int64_t images = 0;
  for (const auto& m : canonical.at("messages").get_array()) {
    const auto& message = m.get_object();
    if (const auto* content = message.if_contains("content")) {
      countContent(*content, chars, images);
    }
    if (const auto* calls = message.if_contains("tool_calls"); calls && calls->is_array()) {
      for (const auto& call : calls->get_array()) chars += codePoints(json::serialize(call));
    }
  }
  if (const auto* tools = canonical.if_contains("tools")) {
    chars += codePoints(json::serialize(*tools));
  }
  if (const auto* format = canonical.if_contains("response_format")) {
    chars += codePoints(json::serialize(*format));
  }
  const int64_t tokens = token_estimate::tokens(chars, images);
  return json::serialize(
      json::object{{"object", "response.input_tokens"}, {"input_tokens", tokens}});
}

}  // namespace switchyard
