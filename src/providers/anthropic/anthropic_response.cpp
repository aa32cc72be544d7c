#include "providers/anthropic/anthropic_response.hpp"

#include <boost/json.hpp>
#include <ctime>

#include "providers/anthropic/anthropic_common.hpp"
#include "providers/common/errors.hpp"
#include "providers/common/json_fields.hpp"
#include "providers/common/scratch_json.hpp"

namespace switchyard::anthropic {

namespace json = boost::json;
using common::badUpstream;
using common::stringField;

Result<std::string> toChatCompletion(std::string_view body, bool jsonTool, Usage& usage) {
  common::ScratchJson<16384> parsed;
  auto* msg = parsed.parseObject(body);
  if (!msg) return badUpstream("The upstream answered with a body that is not a JSON object.");
  const auto* blocks = msg->if_contains("content");
  if (!blocks || !blocks->is_array()) {
    return badUpstream("The upstream's answer has no content array.");
  }

  std::string text;
  std::string reasoning;
  json::array toolCalls;
  json::array thinkingBlocks;
  bool jsonAnswered = false;
  for (const auto& value : blocks->get_array()) {
    const auto* b = value.if_object();
    if (!b) continue;
    const std::string_view type = stringField(*b, "type");
    if (type == "text") {
      text += stringField(*b, "text");
    } else if (type == "tool_use") {
      const auto* input = b->if_contains("input");
      std::string args = input ? json::serialize(*input) : std::string("{}");
      const std::string_view name = stringField(*b, "name");
      if (jsonTool && name == kJsonToolName) {
        text += args;
        jsonAnswered = true;
        continue;
      }
      toolCalls.emplace_back(
          json::object{{"id", stringField(*b, "id")},
                       {"type", "function"},
                       {"function", json::object{{"name", name}, {"arguments", std::move(args)}}}});
    } else if (type == "thinking") {
      reasoning += stringField(*b, "thinking");
      thinkingBlocks.emplace_back(json::object{{"type", "thinking"},
                                               {"thinking", stringField(*b, "thinking")},
                                               {"signature", stringField(*b, "signature")}});
    } else if (type == "redacted_thinking") {
      thinkingBlocks.emplace_back(
          json::object{{"type", "redacted_thinking"}, {"data", stringField(*b, "data")}});
    }
    // Server tools (web search, code execution, MCP), fallbacks and the like have no OpenAI
    // equivalent; their results reach the client through the text the model writes.
  }

  const std::string_view stopReason = stringField(*msg, "stop_reason");
  std::string_view finish = finishReasonFor(stopReason);
  if (jsonAnswered && toolCalls.empty() && finish == "tool_calls") finish = "stop";

  json::object message{{"role", "assistant"}};
  message["content"] = text.empty() ? json::value(nullptr) : json::value(text);
  if (stopReason == "refusal") {
    const auto* details = msg->if_contains("stop_details");
    const auto* d = details ? details->if_object() : nullptr;
    const std::string_view why = d ? stringField(*d, "explanation") : std::string_view();
    message["refusal"] = why.empty() ? json::value(nullptr) : json::value(why);
  }
  if (!toolCalls.empty()) message["tool_calls"] = std::move(toolCalls);
  if (!reasoning.empty()) message["reasoning_content"] = reasoning;
  if (!thinkingBlocks.empty()) message["thinking_blocks"] = std::move(thinkingBlocks);

  AnthropicUsage u;
  if (const auto* usageValue = msg->if_contains("usage"); usageValue && usageValue->is_object()) {
    u.update(usageValue->get_object());
  }
  u.fill(usage);

  json::object out{
      {"id", stringField(*msg, "id")},
      {"object", "chat.completion"},
      {"created", static_cast<int64_t>(std::time(nullptr))},
      {"model", stringField(*msg, "model")},
      {"choices",
       json::array{json::object{
           {"index", 0},
           {"message", std::move(message)},
           {"logprobs", nullptr},
           {"finish_reason", finish.empty() ? json::value(nullptr) : json::value(finish)}}}},
  };
  if (u.present) out["usage"] = u.toOpenAi();
  return json::serialize(out);
}

}  // namespace switchyard::anthropic
