#include "api/openai/token_counter.hpp"

#include <boost/json.hpp>

#include "api/openai/chat_tokens.hpp"
#include "api/token_count.hpp"

namespace switchyard {

namespace json = boost::json;

namespace {

Error invalid(std::string_view field, std::string message) {
  return Error::make(ErrorClass::kBadRequest, std::move(message), std::string(field),
                     "invalid_value");
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
  for (const auto& m : o.at("messages").get_array()) countChatMessage(m.get_object(), tally);
  tally.reply();
}

}  // namespace switchyard
