// Ollama /api/chat and /api/embed answers → OpenAI bodies; its error answers → Error.

#include "api/openai/usage_json.hpp"
#include "core/text.hpp"
#include "providers/common/answer_ids.hpp"
#include "providers/common/embeddings.hpp"
#include "providers/common/errors.hpp"
#include "providers/common/json_fields.hpp"
#include "providers/ollama/ollama_adapter.hpp"
#include "providers/openai/openai_errors.hpp"

namespace switchyard::ollama {

namespace json = boost::json;
using common::arrayField;
using common::badUpstream;
using common::objectField;
using common::stringField;

std::string_view finishReason(std::string_view doneReason, bool calledTools) {
  if (calledTools) return "tool_calls";
  return doneReason == "length" ? "length" : "stop";
}

bool readUsage(const json::object& done, Usage& out) {
  // A prompt Ollama had cached is not evaluated again, and its count is then left out.
  if (!done.contains("prompt_eval_count") && !done.contains("eval_count")) return false;
  out.present = true;
  out.promptTokens = common::intField(done, "prompt_eval_count");
  out.completionTokens = common::intField(done, "eval_count");
  out.totalTokens = out.promptTokens + out.completionTokens;
  return true;
}

std::string toolCallId(const json::object& call) {
  if (const auto id = stringField(call, "id"); !id.empty()) return std::string(id);
  return "call_" + common::newCompletionId().substr(9);
}

Result<std::string> fromChat(std::string_view body, std::string_view model, Usage& usage) {
  auto parsed = common::parseObjectBody(body);
  if (!parsed) return parsed.error();
  const json::object& obj = *parsed;
  if (const auto error = stringField(obj, "error"); !error.empty()) {
    return Error::make(ErrorClass::kUpstreamServer, "Ollama failed: " + std::string(error), {},
                       "upstream_error");
  }
  const auto* message = objectField(obj, "message");
  if (!message) return badUpstream("The upstream's chat answer has no message.");

  json::array calls;
  if (const auto* list = arrayField(*message, "tool_calls")) {
    for (const auto& c : *list) {
      const auto* call = c.if_object();
      const auto* fn = call ? objectField(*call, "function") : nullptr;
      if (!fn) return badUpstream("An Ollama tool call has no function.");
      const auto* args = fn->if_contains("arguments");
      calls.emplace_back(json::object{
          {"id", toolCallId(*call)},
          {"type", "function"},
          {"function",
           json::object{{"name", stringField(*fn, "name")},
                        {"arguments", args && args->is_object() ? json::serialize(*args)
                                                                : std::string("{}")}}}});
    }
  }
  const std::string_view text = stringField(*message, "content");
  json::object msg{{"role", "assistant"}};
  if (text.empty() && !calls.empty()) {
    msg["content"] = nullptr;
  } else {
    msg["content"] = text;
  }
  if (const auto thinking = stringField(*message, "thinking"); !thinking.empty()) {
    msg["reasoning_content"] = thinking;
  }
  const bool calledTools = !calls.empty();
  if (calledTools) msg["tool_calls"] = std::move(calls);

  Usage u;
  json::object out{{"id", common::newCompletionId()},
                   {"object", "chat.completion"},
                   {"created", common::unixNow()},
                   {"model", model}};
  out["choices"] = json::array{
      json::object{{"index", 0},
                   {"message", std::move(msg)},
                   {"logprobs", nullptr},
                   {"finish_reason", finishReason(stringField(obj, "done_reason"), calledTools)}}};
  if (readUsage(obj, u)) {
    usage = u;
    out["usage"] = openAiUsageJson(u);
  }
  return json::serialize(out);
}

Result<std::string> fromEmbed(std::string_view body, const ApiRequest& req, Usage& usage) {
  auto parsed = common::parseObjectBody(body);
  if (!parsed) return parsed.error();
  const auto* list = arrayField(*parsed, "embeddings");
  if (!list) return badUpstream("The upstream's answer has no embeddings.");
  auto vectors = common::readVectors(*list);
  if (!vectors) return vectors.error();
  const int64_t tokens = common::intField(*parsed, "prompt_eval_count");
  usage.present = true;
  usage.promptTokens = tokens;
  usage.totalTokens = tokens;
  const bool base64 = stringField(req.body(), "encoding_format") == "base64";
  return common::embeddingList(*vectors, req.model, base64, tokens);
}

Error classifyError(int status, std::string_view body, std::string_view retryAfter) {
  Error e;
  e.cls = classForStatus(status);
  e.status = common::gatewayStatus(status);
  std::string message;
  boost::system::error_code ec;
  json::value root = json::parse(body, ec);
  if (!ec && root.is_object()) message = stringField(root.get_object(), "error");
  if (message.empty()) {
    const std::string_view excerpt = body.substr(0, 200);
    message = excerpt.empty() ? "(empty body)" : std::string(excerpt);
  }
  const std::string lower = asciiLower(message);
  if (contains(lower, "context length") || contains(lower, "context window")) {
    e.cls = ErrorClass::kContextWindow;
    e.code = "context_length_exceeded";
  }
  common::finishUpstreamError(e, status, message, retryAfter);
  return e;
}

}  // namespace switchyard::ollama
