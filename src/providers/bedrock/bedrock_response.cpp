// Bedrock Converse and InvokeModel (embeddings) answers → OpenAI bodies.

#include "api/openai/usage_json.hpp"
#include "providers/bedrock/bedrock_adapter.hpp"
#include "providers/common/answer_ids.hpp"
#include "providers/common/embeddings.hpp"
#include "providers/common/errors.hpp"
#include "providers/common/json_fields.hpp"
#include "providers/openai/openai_usage.hpp"

namespace switchyard::bedrock {

namespace json = boost::json;
using common::arrayField;
using common::badUpstream;
using common::intField;
using common::objectField;
using common::stringField;

std::string_view finishReason(std::string_view stopReason) {
  if (stopReason == "max_tokens" || stopReason == "model_context_window_exceeded") return "length";
  if (stopReason == "tool_use") return "tool_calls";
  if (stopReason == "guardrail_intervened" || stopReason == "content_filtered") {
    return "content_filter";
  }
  return "stop";  // end_turn, stop_sequence
}

void readUsage(const json::object& usage, Usage& out) {
  const int64_t cacheRead = intField(usage, "cacheReadInputTokens");
  const int64_t cacheWrite = intField(usage, "cacheWriteInputTokens");
  out.present = true;
  // Bedrock counts cached input apart from inputTokens; OpenAI's prompt_tokens includes it.
  out.promptTokens = intField(usage, "inputTokens") + cacheRead + cacheWrite;
  out.completionTokens = intField(usage, "outputTokens");
  out.totalTokens = out.promptTokens + out.completionTokens;
  out.cachedPromptTokens = cacheRead;
  out.cacheWriteTokens = cacheWrite;
}

Result<std::string> fromConverse(std::string_view body, std::string_view model, Usage& usage) {
  auto parsed = common::parseObjectBody(body);
  if (!parsed) return parsed.error();
  const json::object& obj = *parsed;
  const auto* output = objectField(obj, "output");
  const auto* message = output ? objectField(*output, "message") : nullptr;
  const auto* content = message ? arrayField(*message, "content") : nullptr;
  if (!content) return badUpstream("The upstream's Converse answer has no output.message.content.");

  std::string text;
  std::string reasoning;
  json::array thinkingBlocks;
  json::array toolCalls;
  for (const auto& b : *content) {
    const auto* block = b.if_object();
    if (!block) return badUpstream("A Converse content block is not an object.");
    if (const auto* t = block->if_contains("text"); t && t->is_string()) {
      text += t->get_string();
    } else if (const auto* use = objectField(*block, "toolUse")) {
      json::value input = json::object{};
      if (const auto* in = use->if_contains("input")) input = *in;
      toolCalls.emplace_back(
          json::object{{"id", stringField(*use, "toolUseId")},
                       {"type", "function"},
                       {"function", json::object{{"name", stringField(*use, "name")},
                                                 {"arguments", json::serialize(input)}}}});
    } else if (const auto* r = objectField(*block, "reasoningContent")) {
      if (const auto* rt = objectField(*r, "reasoningText")) {
        reasoning += stringField(*rt, "text");
        json::object tb{{"type", "thinking"}, {"thinking", stringField(*rt, "text")}};
        if (const auto sig = stringField(*rt, "signature"); !sig.empty()) tb["signature"] = sig;
        thinkingBlocks.emplace_back(std::move(tb));
      }
    }
  }

  json::object msg{{"role", "assistant"}};
  if (text.empty() && !toolCalls.empty()) {
    msg["content"] = nullptr;
  } else {
    msg["content"] = text;
  }
  if (!reasoning.empty()) {
    msg["reasoning_content"] = reasoning;
    msg["thinking_blocks"] = std::move(thinkingBlocks);
  }
  if (!toolCalls.empty()) msg["tool_calls"] = std::move(toolCalls);

  Usage u;
  if (const auto* uo = objectField(obj, "usage")) readUsage(*uo, u);
  if (u.present) usage = u;

  json::object out{{"id", common::newCompletionId()},
                   {"object", "chat.completion"},
                   {"created", common::unixNow()},
                   {"model", model}};
  out["choices"] =
      json::array{json::object{{"index", 0},
                               {"message", std::move(msg)},
                               {"logprobs", nullptr},
                               {"finish_reason", finishReason(stringField(obj, "stopReason"))}}};
  if (u.present) out["usage"] = openAiUsageJson(u);
  return json::serialize(out);
}

Result<std::string> fromEmbedResponse(std::string_view body, const ApiRequest& req, Usage& usage) {
  auto parsed = common::parseObjectBody(body);
  if (!parsed) return parsed.error();
  const json::object& obj = *parsed;
  std::vector<std::vector<double>> vectors;
  int64_t tokens = 0;
  if (const auto* one = obj.if_contains("embedding")) {
    // Titan: {"embedding": [...], "inputTextTokenCount": n}
    vectors.emplace_back();
    if (!common::readVector(*one, vectors.back())) {
      return badUpstream("The upstream's embedding is not an array of numbers.");
    }
    tokens = intField(obj, "inputTextTokenCount");
  } else if (const auto* many = obj.if_contains("embeddings")) {
    // Cohere: {"embeddings": [[...]]} or, with embedding_types, {"embeddings": {"float": [[...]]}}
    const json::value* list = many;
    if (const auto* byType = many->if_object()) list = byType->if_contains("float");
    if (!list || !list->is_array()) return badUpstream("The upstream's embeddings are not a list.");
    auto read = common::readVectors(list->get_array());
    if (!read) return read.error();
    vectors = std::move(*read);
  } else {
    return badUpstream("The upstream's answer has no embedding.");
  }
  usage.present = true;
  usage.promptTokens = tokens;
  usage.totalTokens = tokens;
  const bool base64 = common::stringField(req.body(), "encoding_format") == "base64";
  return common::embeddingList(vectors, req.model, base64, tokens);
}

}  // namespace switchyard::bedrock
