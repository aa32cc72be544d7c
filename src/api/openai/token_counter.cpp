#include "api/openai/token_counter.hpp"

#include <boost/json.hpp>

#include "api/token_count.hpp"

namespace switchyard {

namespace json = boost::json;

namespace {

Error invalid(std::string_view field, std::string message) {
  return Error::make(ErrorClass::kBadRequest, std::move(message), std::string(field),
                     "invalid_value");
}

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

void countMessage(const json::object& message, TokenTally& tally) {
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

}  // namespace

Result<TokenCounterRequest> parseTokenCounterRequest(std::string_view body) {
  boost::system::error_code ec;
  json::value parsed = json::parse(body, ec);
  if (ec || !parsed.is_object()) {
    return Error::make(ErrorClass::kBadRequest, "The request body must be a JSON object.", {},
                       "invalid_json");
  }
  const json::object& o = parsed.get_object();
  const auto* model = o.if_contains("model");
  if (!model || !model->is_string() || model->get_string().empty()) {
    return invalid("model", "model is required and must be a string.");
  }
  const auto* prompt = o.if_contains("prompt");
  const auto* messages = o.if_contains("messages");
  if ((!prompt || prompt->is_null()) && (!messages || messages->is_null())) {
    return invalid("prompt", "prompt or messages must be provided.");
  }
  if (prompt && !prompt->is_null()) {
    bool ok = prompt->is_string();
    if (prompt->is_array()) {
      ok = true;
      for (const auto& p : prompt->get_array()) ok = ok && p.is_string();
    }
    if (!ok) return invalid("prompt", "prompt must be a string or a list of strings.");
  } else {
    bool ok = messages->is_array();
    if (ok) {
      for (const auto& m : messages->get_array()) ok = ok && m.is_object();
    }
    if (!ok) return invalid("messages", "messages must be a list of message objects.");
  }
  TokenCounterRequest r;
  r.model = std::string(model->get_string());
  r.body = std::move(parsed);
  return r;
}

void countTokenCounterInput(const TokenCounterRequest& request, TokenTally& tally) {
  const json::object& o = request.body.get_object();
  if (const auto* prompt = o.if_contains("prompt"); prompt && !prompt->is_null()) {
    if (prompt->is_string()) {
      tally.text(prompt->get_string());
    } else {
      for (const auto& p : prompt->get_array()) tally.text(p.get_string());
    }
    return;
  }
  for (const auto& m : o.at("messages").get_array()) countMessage(m.get_object(), tally);
  tally.reply();
}

}  // namespace switchyard
