// Google GenerateContentResponse → OpenAI chat.completion.

#include <ctime>

#include "api/openai/usage_json.hpp"
#include "providers/common/errors.hpp"
#include "providers/common/json_fields.hpp"
#include "providers/gemini/gemini_translate.hpp"
#include "providers/openai/openai_usage.hpp"

namespace switchyard {

namespace json = boost::json;
using namespace common;

void readGeminiUsage(const json::object& meta, Usage& out) {
  // Streams carry usageMetadata with only trafficType until the last event.
  if (!meta.contains("promptTokenCount") && !meta.contains("candidatesTokenCount") &&
      !meta.contains("totalTokenCount")) {
    return;
  }
  out.present = true;
  // Tokens of tool results (search grounding) are billed as input.
  out.promptTokens = intField(meta, "promptTokenCount") + intField(meta, "toolUsePromptTokenCount");
  out.reasoningTokens = intField(meta, "thoughtsTokenCount");
  out.completionTokens = intField(meta, "candidatesTokenCount") + out.reasoningTokens;
  out.cachedPromptTokens = intField(meta, "cachedContentTokenCount");
  out.totalTokens = out.promptTokens + out.completionTokens;
}

std::string_view geminiFinishReason(std::string_view reason, bool calledTools) {
  if (reason == "MAX_TOKENS") return "length";
  if (reason == "SAFETY" || reason == "RECITATION" || reason == "BLOCKLIST" ||
      reason == "PROHIBITED_CONTENT" || reason == "SPII" || reason == "IMAGE_SAFETY") {
    return "content_filter";
  }
  return calledTools ? "tool_calls" : "stop";
}

namespace {

json::object assistantMessage(const json::object* content, int& callCounter, bool& calledTools) {
  std::string text;
  std::string reasoning;
  json::array toolCalls;
  const json::array* parts = content ? arrayField(*content, "parts") : nullptr;
  if (parts) {
    for (const auto& p : *parts) {
      const auto* part = p.if_object();
      if (!part) continue;
      if (const auto* call = objectField(*part, "functionCall")) {
        std::string id(stringField(*call, "id"));
        if (id.empty()) id = "call_" + std::to_string(callCounter);
        ++callCounter;
        const auto* args = call->if_contains("args");
        json::object toolCall{{"id", id},
                              {"type", "function"},
                              {"function", json::object{{"name", stringField(*call, "name")},
                                                        {"arguments", args && args->is_object()
                                                                          ? json::serialize(*args)
                                                                          : std::string("{}")}}}};
        if (const auto sig = stringField(*part, "thoughtSignature"); !sig.empty()) {
          toolCall["provider_specific_fields"] = json::object{{"thought_signature", sig}};
        }
        toolCalls.push_back(std::move(toolCall));
      } else if (part->contains("text")) {
        (boolField(*part, "thought") ? reasoning : text) += stringField(*part, "text");
      }
    }
  }
  calledTools = !toolCalls.empty();
  json::object message{{"role", "assistant"}};
  message["content"] = text.empty() && calledTools ? json::value(nullptr) : json::value(text);
  if (!reasoning.empty()) message["reasoning_content"] = reasoning;
  if (calledTools) message["tool_calls"] = std::move(toolCalls);
  return message;
}

}  // namespace

Result<std::string> geminiChatResponse(std::string_view body, std::string_view model,
                                       Usage& usage) {
  auto parsed = parseObjectBody(body);
  if (!parsed) return parsed.error();
  const json::object& root = *parsed;
  if (const auto* meta = objectField(root, "usageMetadata")) readGeminiUsage(*meta, usage);

  json::array choices;
  int callCounter = 0;
  if (const auto* candidates = arrayField(root, "candidates")) {
    for (size_t i = 0; i < candidates->size(); ++i) {
      const auto* cand = (*candidates)[i].if_object();
      if (!cand) return badUpstream("The upstream sent a candidate that is not an object.");
      bool calledTools = false;
      json::object message =
          assistantMessage(objectField(*cand, "content"), callCounter, calledTools);
      const auto* index = cand->if_contains("index");
      choices.push_back(json::object{
          {"index", index && index->is_int64() ? index->get_int64() : int64_t(i)},
          {"message", std::move(message)},
          {"logprobs", nullptr},
          {"finish_reason", geminiFinishReason(stringField(*cand, "finishReason"), calledTools)}});
    }
  }
  if (choices.empty()) {
    // No candidate: the prompt itself was blocked (promptFeedback.blockReason).
    const auto* feedback = objectField(root, "promptFeedback");
    if (!feedback || stringField(*feedback, "blockReason").empty()) {
      return badUpstream("The upstream answered without candidates.");
    }
    choices.push_back(
        json::object{{"index", 0},
                     {"message", json::object{{"role", "assistant"}, {"content", ""}}},
                     {"logprobs", nullptr},
                     {"finish_reason", "content_filter"}});
  }
  auto responseId = stringField(root, "responseId");
  auto version = stringField(root, "modelVersion");
  json::object out{{"id", "chatcmpl-" + std::string(responseId.empty() ? "gemini" : responseId)},
                   {"object", "chat.completion"},
                   {"created", int64_t(std::time(nullptr))},
                   {"model", version.empty() ? model : version},
                   {"choices", std::move(choices)}};
  if (usage.present) out["usage"] = openAiUsageJson(usage);
  return json::serialize(out);
}

}  // namespace switchyard
