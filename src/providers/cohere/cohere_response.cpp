// Cohere Chat v2 and Embed v2 answers → OpenAI bodies.

#include <charconv>

#include "api/openai/usage_json.hpp"
#include "providers/cohere/cohere_adapter.hpp"
#include "providers/common/answer_ids.hpp"
#include "providers/common/embeddings.hpp"
#include "providers/common/errors.hpp"
#include "providers/common/json_fields.hpp"
#include "providers/openai/openai_usage.hpp"

namespace switchyard::cohere {

namespace json = boost::json;
using common::arrayField;
using common::badUpstream;
using common::intField;
using common::objectField;
using common::stringField;

std::string_view finishReason(std::string_view r) {
  if (r == "COMPLETE" || r == "STOP_SEQUENCE") return "stop";
  if (r == "MAX_TOKENS") return "length";
  if (r == "TOOL_CALL") return "tool_calls";
  if (r == "ERROR" || r == "TIMEOUT") return {};
  return "stop";
}

// Billed units are what Cohere charges for, so they are the usage; `tokens` (which also counts
// Cohere's own prompt template) only stands in when billed units are missing. cached_tokens is
// a count of those raw tokens, not of billed ones, so it is not reported as cached prompt tokens.
void readUsage(const json::object& usage, Usage& out) {
  const json::object* counts = objectField(usage, "billed_units");
  if (!counts || !counts->contains("input_tokens")) counts = objectField(usage, "tokens");
  out.present = true;
  if (counts) {
    out.promptTokens = intField(*counts, "input_tokens");
    out.completionTokens = intField(*counts, "output_tokens");
  }
  out.totalTokens = out.promptTokens + out.completionTokens;
}

namespace {

Error endedWithError(std::string_view reason) {
  if (reason == "TIMEOUT") {
    return Error::make(ErrorClass::kTimeout, "Cohere ended the generation with TIMEOUT.", {},
                       "upstream_timeout");
  }
  return Error::make(ErrorClass::kUpstreamServer, "Cohere ended the generation with ERROR.", {},
                     "upstream_error");
}

}  // namespace

Result<std::string> fromChat(std::string_view body, std::string_view model, Usage& usage) {
  auto parsed = common::parseObjectBody(body);
  if (!parsed) return parsed.error();
  const json::object& obj = *parsed;
  const auto* message = objectField(obj, "message");
  if (!message) return badUpstream("The upstream's chat answer has no message.");
  const std::string_view reason = stringField(obj, "finish_reason");
  const std::string_view finish = finishReason(reason);
  if (finish.empty()) return endedWithError(reason);

  std::string text;
  std::string thinking;
  if (const auto* content = arrayField(*message, "content")) {
    for (const auto& c : *content) {
      const auto* part = c.if_object();
      if (!part) return badUpstream("A Cohere content item is not an object.");
      const std::string_view type = stringField(*part, "type");
      if (type == "text") text += stringField(*part, "text");
      if (type == "thinking") thinking += stringField(*part, "thinking");
    }
  }
  if (text.empty()) text = stringField(*message, "tool_plan");
  json::array toolCalls;
  if (const auto* calls = arrayField(*message, "tool_calls")) {
    for (const auto& c : *calls) {
      const auto* call = c.if_object();
      const auto* fn = call ? objectField(*call, "function") : nullptr;
      if (!fn) return badUpstream("A Cohere tool call has no function.");
      std::string_view args = stringField(*fn, "arguments");
      toolCalls.emplace_back(
          json::object{{"id", stringField(*call, "id")},
                       {"type", "function"},
                       {"function", json::object{{"name", stringField(*fn, "name")},
                                                 {"arguments", args.empty() ? "{}" : args}}}});
    }
  }
  json::object msg{{"role", "assistant"}};
  if (text.empty() && !toolCalls.empty()) {
    msg["content"] = nullptr;
  } else {
    msg["content"] = text;
  }
  if (!thinking.empty()) msg["reasoning_content"] = thinking;
  if (!toolCalls.empty()) msg["tool_calls"] = std::move(toolCalls);

  Usage u;
  if (const auto* uo = objectField(obj, "usage")) readUsage(*uo, u);
  if (u.present) usage = u;
  std::string id(stringField(obj, "id"));
  json::object out{{"id", id.empty() ? common::newCompletionId() : id},
                   {"object", "chat.completion"},
                   {"created", common::unixNow()},
                   {"model", model}};
  out["choices"] = json::array{json::object{
      {"index", 0}, {"message", std::move(msg)}, {"logprobs", nullptr}, {"finish_reason", finish}}};
  if (u.present) out["usage"] = openAiUsageJson(u);
  return json::serialize(out);
}

Result<std::string> fromEmbed(std::string_view body, const ApiRequest& req, Usage& usage) {
  auto parsed = common::parseObjectBody(body);
  if (!parsed) return parsed.error();
  const json::object& obj = *parsed;
  const auto* embeddings = obj.if_contains("embeddings");
  const json::value* list = embeddings;
  if (embeddings && embeddings->is_object()) list = embeddings->get_object().if_contains("float");
  if (!list || !list->is_array())
    return badUpstream("The upstream's answer has no float embeddings.");
  auto vectors = common::readVectors(list->get_array());
  if (!vectors) return vectors.error();
  int64_t tokens = 0;
  if (const auto* meta = objectField(obj, "meta")) {
    if (const auto* billed = objectField(*meta, "billed_units"))
      tokens = intField(*billed, "input_tokens");
  }
  usage.present = true;
  usage.promptTokens = tokens;
  usage.totalTokens = tokens;
  const bool base64 = stringField(req.body(), "encoding_format") == "base64";
  return common::embeddingList(*vectors, req.model, base64, tokens);
}

}  // namespace switchyard::cohere
