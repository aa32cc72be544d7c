// Chat requests → legacy completions bodies, and legacy answers → chat.completion.

#include <array>

#include "api/openai/usage_json.hpp"
#include "providers/common/answer_ids.hpp"
#include "providers/common/content.hpp"
#include "providers/common/errors.hpp"
#include "providers/common/json_fields.hpp"
#include "providers/common/request_params.hpp"
#include "providers/openai/openai_usage.hpp"
#include "providers/text_completion/text_completion_adapter.hpp"

namespace switchyard::text_completion {

namespace json = boost::json;
using common::arrayField;
using common::badRequest;
using common::badUpstream;
using common::objectField;
using common::stringField;

namespace {

constexpr std::string_view kProvider = "The legacy completions API";

// What a chat request may say that a single prompt cannot.
constexpr std::array<std::string_view, 6> kUnsupported = {
    "tools", "tool_choice", "functions", "function_call", "audio", "modalities"};

// Parameters the legacy API takes under the same name.
constexpr std::array<std::string_view, 12> kSameName = {
    "temperature", "top_p", "n",      "stop", "presence_penalty", "frequency_penalty", "seed",
    "logit_bias",  "user",  "suffix", "echo", "best_of"};

// Only text can be a prompt.
Result<std::string> messageText(const json::object& m) {
  const json::value* content = m.if_contains("content");
  if (!content || content->is_null()) return std::string();
  if (const auto* parts = content->if_array()) {
    for (const auto& p : *parts) {
      const auto* part = p.if_object();
      if (!part || stringField(*part, "type") != "text") {
        return badRequest("The legacy completions API takes text only: send text content parts.",
                          "messages");
      }
    }
  } else if (!content->is_string()) {
    return badRequest("A message content must be a string or an array of parts.", "messages");
  }
  return common::contentText(*content);
}

}  // namespace

Result<json::object> toCompletion(const json::object& body, std::string_view model, bool stream,
                                  bool dropParams) {
  if (auto refused = common::refuseUnsupported(body, kUnsupported, kProvider, dropParams);
      !refused) {
    return refused.error();
  }
  if (const auto* rf = objectField(body, "response_format");
      rf && stringField(*rf, "type") != "text" && !dropParams) {
    return common::unsupportedParam(kProvider, "response_format");
  }
  auto messagesField = common::chatMessages(body);
  if (!messagesField) return messagesField.error();
  const json::array* list = *messagesField;
  // One prompt for one answer: LiteLLM sends several messages as several prompts, which the API
  // answers with one choice each, not a conversation.
  std::string prompt;
  for (const auto& item : *list) {
    const auto* m = item.if_object();
    if (!m) return badRequest("Each message must be an object.", "messages");
    auto text = messageText(*m);
    if (!text) return text.error();
    if (text->empty()) continue;
    if (!prompt.empty()) prompt += "\n\n";
    prompt += *text;
  }

  json::object out{{"model", model}, {"prompt", std::move(prompt)}};
  for (std::string_view key : kSameName) {
    if (const auto* v = body.if_contains(key); v && !v->is_null()) out[key] = *v;
  }
  for (std::string_view key : {"max_tokens", "max_completion_tokens"}) {
    if (const auto* v = body.if_contains(key); v && v->is_number()) out["max_tokens"] = *v;
  }
  // Chat asks for logprobs with a flag and a count; the legacy API with the count alone.
  if (common::boolField(body, "logprobs")) {
    out["logprobs"] =
        common::hasNumber(body, "top_logprobs") ? common::intField(body, "top_logprobs") : 0;
  }
  if (stream) {
    out["stream"] = true;
    // Usage is needed for accounting; the decoder keeps it from a client that did not ask.
    out["stream_options"] = json::object{{"include_usage", true}};
  }
  return out;
}

json::value chatLogprobs(const json::value& legacy) {
  const auto* obj = legacy.if_object();
  const auto* tokens = obj ? arrayField(*obj, "tokens") : nullptr;
  if (!tokens) return nullptr;
  const auto* logprobs = arrayField(*obj, "token_logprobs");
  const auto* tops = arrayField(*obj, "top_logprobs");
  json::array content;
  for (size_t i = 0; i < tokens->size(); ++i) {
    const auto& token = (*tokens)[i];
    json::object entry{{"token", token.is_string() ? token.get_string() : ""}};
    entry["logprob"] = logprobs && i < logprobs->size() && (*logprobs)[i].is_number()
                           ? (*logprobs)[i]
                           : json::value(nullptr);
    entry["bytes"] = nullptr;
    json::array top;
    if (tops && i < tops->size()) {
      if (const auto* alternatives = (*tops)[i].if_object()) {
        for (const auto& [tok, lp] : *alternatives) {
          top.emplace_back(
              json::object{{"token", json::string_view(tok)}, {"logprob", lp}, {"bytes", nullptr}});
        }
      }
    }
    entry["top_logprobs"] = std::move(top);
    content.emplace_back(std::move(entry));
  }
  return json::object{{"content", std::move(content)}};
}

Result<std::string> toChatAnswer(std::string_view body, std::string_view model, Usage& usage) {
  auto parsed = common::parseObjectBody(body);
  if (!parsed) return parsed.error();
  const json::object& obj = *parsed;
  const auto* choices = arrayField(obj, "choices");
  if (!choices) return badUpstream("The upstream's completion has no choices.");
  json::array out;
  for (const auto& c : *choices) {
    const auto* choice = c.if_object();
    if (!choice) return badUpstream("A completion choice is not an object.");
    const auto* logprobs = choice->if_contains("logprobs");
    const auto finish = stringField(*choice, "finish_reason");
    out.emplace_back(json::object{
        {"index", common::intField(*choice, "index")},
        {"message", json::object{{"role", "assistant"}, {"content", stringField(*choice, "text")}}},
        {"logprobs", logprobs ? chatLogprobs(*logprobs) : json::value(nullptr)},
        {"finish_reason", finish.empty() ? std::string_view("stop") : finish}});
  }
  std::string id(stringField(obj, "id"));
  json::object answer{
      {"id", id.empty() ? common::newCompletionId() : id},
      {"object", "chat.completion"},
      {"created", obj.contains("created") ? obj.at("created") : json::value(common::unixNow())},
      {"model", model},
      {"choices", std::move(out)}};
  if (const auto* u = obj.if_contains("usage"); u && u->is_object()) {
    Usage read;
    readOpenAiUsage(*u, read);
    usage = read;
    answer["usage"] = openAiUsageJson(read);
  }
  return json::serialize(answer);
}

}  // namespace switchyard::text_completion
