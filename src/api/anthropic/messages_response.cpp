#include "api/anthropic/messages_response.hpp"

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <charconv>

#include "core/json_escape.hpp"

namespace switchyard {
namespace {

namespace json = boost::json;

Error badUpstream(std::string message) {
  return Error::make(ErrorClass::kBadUpstream, std::move(message));
}

std::string_view stringOr(const json::object& o, std::string_view key, std::string_view def = {}) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string_view(v->get_string()) : def;
}

// Some providers send content as an array of parts instead of a string.
std::string contentText(const json::value* v) {
  if (!v) return {};
  if (v->is_string()) return std::string(v->get_string());
  std::string text;
  if (const auto* parts = v->if_array()) {
    for (const auto& p : *parts) {
      if (const auto* part = p.if_object()) text += stringOr(*part, "text");
    }
  }
  return text;
}

// Reasoning text: reasoning_content (DeepSeek, xAI, vLLM) or reasoning (OpenRouter, Groq).
std::string_view reasoningText(const json::object& o) {
  std::string_view r = stringOr(o, "reasoning_content");
  return r.empty() ? stringOr(o, "reasoning") : r;
}

std::vector<std::string> stopSequencesOf(const ApiRequest& req) {
  std::vector<std::string> out;
  const auto* stop = req.body().if_contains("stop");
  if (!stop) return out;
  if (stop->is_string()) out.emplace_back(stop->get_string());
  if (const auto* arr = stop->if_array()) {
    for (const auto& s : *arr) {
      if (s.is_string()) out.emplace_back(s.get_string());
    }
  }
  return out;
}

// The stop sequence that ended the answer, when the upstream says which (vLLM and others put the
// matched string in choice.stop_reason; OpenAI itself does not say).
std::string matchedStop(const json::object& choice, const std::vector<std::string>& stops) {
  const std::string_view s = stringOr(choice, "stop_reason");
  if (s.empty()) return {};
  for (const auto& stop : stops) {
    if (stop == s) return stop;
  }
  return {};
}

std::string_view stopReason(std::string_view finishReason, bool toolCalls, bool refusal,
                            bool stopSequence) {
  // Some backends say "stop" after tool calls; the client must still run the tools.
  if (toolCalls && (finishReason.empty() || finishReason == "stop")) return "tool_use";
  if (refusal && (finishReason.empty() || finishReason == "stop")) return "refusal";
  if (stopSequence && finishReason == "stop") return "stop_sequence";
  return anthropic_map::stopReasonFromFinishReason(finishReason);
}

std::string messageId(std::string_view upstreamId) {
  return "msg_" + std::string(upstreamId.empty() ? std::string_view("switchyard") : upstreamId);
}

void appendEvent(std::string& out, std::string_view name, const json::object& data) {
  out.append("event: ").append(name).append("\ndata: ");
  out.append(json::serialize(data));
  out.append("\n\n");
}

// The hot path (one per token) writes its JSON by hand instead of building a DOM.
void appendDelta(std::string& out, int64_t index, std::string_view deltaType,
                 std::string_view field, std::string_view value) {
  using namespace std::string_view_literals;
  out.append("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":"sv);
  char digits[24];
  out.append(digits, std::to_chars(digits, digits + sizeof digits, index).ptr);
  out.append(",\"delta\":{\"type\":\""sv).append(deltaType).append("\",\""sv);
  out.append(field).append("\":"sv);
  appendJsonString(out, value);
  out.append("}}\n\n"sv);
}

std::string_view anthropicErrorType(std::string_view openAiType, std::string_view code) {
  auto has = [&](std::string_view needle) {
    return openAiType.find(needle) != std::string_view::npos ||
           code.find(needle) != std::string_view::npos;
  };
  if (has("rate_limit")) return "rate_limit_error";
  if (has("overloaded")) return "overloaded_error";
  if (has("authentication")) return "authentication_error";
  if (has("permission")) return "permission_error";
  if (has("not_found")) return "not_found_error";
  if (has("invalid_request") || has("context_length")) return "invalid_request_error";
  return "api_error";
}

}  // namespace

Result<std::string> encodeAnthropicResponse(const ApiRequest& req, std::string_view openAiBody) {
  boost::system::error_code ec;
  json::value root = json::parse(openAiBody, ec);
  if (ec || !root.is_object()) return badUpstream("upstream answer is not a JSON object");
  const auto& body = root.get_object();
  const auto* choices = body.if_contains("choices");
  if (!choices || !choices->is_array() || choices->get_array().empty() ||
      !choices->get_array()[0].is_object()) {
    return badUpstream("upstream answer has no choices");
  }
  const auto& choice = choices->get_array()[0].get_object();
  const auto* msgValue = choice.if_contains("message");
  if (!msgValue || !msgValue->is_object()) return badUpstream("upstream choice has no message");
  const auto& msg = msgValue->get_object();

  json::array content;
  if (const std::string_view thinking = reasoningText(msg); !thinking.empty()) {
    content.push_back(
        json::object{{"type", "thinking"}, {"thinking", thinking}, {"signature", ""}});
  }
  const std::string text = contentText(msg.if_contains("content"));
  if (!text.empty()) content.push_back(json::object{{"type", "text"}, {"text", text}});
  const std::string_view refusal = stringOr(msg, "refusal");
  if (!refusal.empty()) content.push_back(json::object{{"type", "text"}, {"text", refusal}});

  bool toolCalls = false;
  if (const auto* calls = msg.if_contains("tool_calls"); calls && calls->is_array()) {
    int64_t n = 0;
    for (const auto& c : calls->get_array()) {
      const auto* call = c.if_object();
      const auto* fnValue = call ? call->if_contains("function") : nullptr;
      if (!fnValue || !fnValue->is_object())
        return badUpstream("upstream tool call has no function");
      const auto& fn = fnValue->get_object();
      const std::string_view name = stringOr(fn, "name");
      if (name.empty()) return badUpstream("upstream tool call has no name");
      const std::string_view arguments = stringOr(fn, "arguments");
      json::value input = json::object();
      if (!arguments.empty()) {
        input = json::parse(arguments, ec);
        if (ec || !input.is_object()) {
          return badUpstream("upstream tool call arguments are not a JSON object");
        }
      }
      std::string id(stringOr(*call, "id"));
      if (id.empty()) id = "toolu_" + std::to_string(n);
      ++n;
      content.push_back(json::object{{"type", "tool_use"},
                                     {"id", std::move(id)},
                                     {"name", name},
                                     {"input", std::move(input)}});
      toolCalls = true;
    }
  }

  const std::string stop = matchedStop(choice, stopSequencesOf(req));
  const std::string_view reason =
      stopReason(stringOr(choice, "finish_reason"), toolCalls, !refusal.empty(), !stop.empty());
  anthropic_map::AnthropicTokenCounts usage;
  if (const auto* u = body.if_contains("usage"); u && u->is_object()) {
    usage = anthropic_map::usageFromOpenAi(u->get_object());
  }
  json::object out{{"id", messageId(stringOr(body, "id"))},
                   {"type", "message"},
                   {"role", "assistant"},
                   {"model", req.model},
                   {"content", std::move(content)},
                   {"stop_reason", reason},
                   {"stop_sequence", reason == "stop_sequence" ? json::value(stop) : nullptr},
                   {"usage", anthropic_map::toJson(usage)}};
  return json::serialize(out);
}

AnthropicStreamEncoder::AnthropicStreamEncoder(const ApiRequest& req)
    : model_(req.model), stopSequences_(stopSequencesOf(req)) {}

void AnthropicStreamEncoder::start(std::string_view upstreamId, std::string& out) {
  started_ = true;
  json::object message{{"id", messageId(upstreamId)}, {"type", "message"},
                       {"role", "assistant"},         {"model", model_},
                       {"content", json::array()},    {"stop_reason", nullptr},
                       {"stop_sequence", nullptr},    {"usage", anthropic_map::toJson(usage_)}};
  appendEvent(out, "message_start",
              json::object{{"type", "message_start"}, {"message", std::move(message)}});
}

void AnthropicStreamEncoder::openBlock(Block kind, std::string& out) {
  closeBlock(out);
  open_ = kind;
  json::object block;
  if (kind == Block::kText) {
    block = {{"type", "text"}, {"text", ""}};
  } else {
    block = {{"type", "thinking"}, {"thinking", ""}, {"signature", ""}};
  }
  appendEvent(out, "content_block_start",
              json::object{{"type", "content_block_start"},
                           {"index", nextIndex_},
                           {"content_block", std::move(block)}});
}

void AnthropicStreamEncoder::openToolBlock(std::string& out) {
  toolStarted_ = true;
  appendEvent(out, "content_block_start",
              json::object{{"type", "content_block_start"},
                           {"index", nextIndex_},
                           {"content_block", json::object{{"type", "tool_use"},
                                                          {"id", toolId_},
                                                          {"name", toolName_},
                                                          {"input", json::object()}}}});
  if (!pendingArguments_.empty()) {
    appendDelta(out, nextIndex_, "input_json_delta", "partial_json", pendingArguments_);
    pendingArguments_.clear();
  }
}

void AnthropicStreamEncoder::closeBlock(std::string& out) {
  if (open_ == Block::kNone) return;
  // A tool call whose name never came still gets its block, so its arguments are not lost.
  if (open_ == Block::kTool && !toolStarted_) openToolBlock(out);
  appendEvent(out, "content_block_stop",
              json::object{{"type", "content_block_stop"}, {"index", nextIndex_}});
  ++nextIndex_;
  open_ = Block::kNone;
  toolStarted_ = false;
}

void AnthropicStreamEncoder::textDelta(std::string_view text, std::string& out) {
  if (open_ != Block::kText) openBlock(Block::kText, out);
  appendDelta(out, nextIndex_, "text_delta", "text", text);
}

void AnthropicStreamEncoder::thinkingDelta(std::string_view text, std::string& out) {
  if (open_ != Block::kThinking) openBlock(Block::kThinking, out);
  appendDelta(out, nextIndex_, "thinking_delta", "thinking", text);
}

Result<void> AnthropicStreamEncoder::toolDelta(const json::value& value, std::string& out) {
  const auto* call = value.if_object();
  if (!call) return badUpstream("upstream tool call delta is not an object");
  const std::string_view id = stringOr(*call, "id");
  std::string_view name;
  std::string_view arguments;
  if (const auto* fn = call->if_contains("function"); fn && fn->is_object()) {
    name = stringOr(fn->get_object(), "name");
    arguments = stringOr(fn->get_object(), "arguments");
  }
  // Without an index (Mistral), a new id starts a new call.
  int64_t index = toolIndex_ < 0 ? 0 : toolIndex_;
  if (const auto* i = call->if_contains("index"); i && i->is_int64()) {
    index = i->get_int64();
  } else if (!id.empty() && id != toolId_ && toolIndex_ >= 0) {
    index = toolIndex_ + 1;
  }
  if (open_ != Block::kTool || index != toolIndex_) {
    closeBlock(out);
    open_ = Block::kTool;
    toolIndex_ = index;
    toolId_ = id.empty() ? "toolu_" + std::to_string(toolCount_) : std::string(id);
    toolName_.clear();
    pendingArguments_.clear();
    ++toolCount_;
    sawToolCall_ = true;
  }
  if (!toolStarted_ && !name.empty()) {
    toolName_ = name;
    openToolBlock(out);
  }
  if (!arguments.empty()) {
    if (toolStarted_) {
      appendDelta(out, nextIndex_, "input_json_delta", "partial_json", arguments);
    } else {
      pendingArguments_.append(arguments);
    }
  }
  return {};
}

void AnthropicStreamEncoder::finish(std::string& out) {
  if (!started_) start({}, out);
  closeBlock(out);
  const std::string_view reason =
      stopReason(finishReason_, sawToolCall_, sawRefusal_, !matchedStop_.empty());
  json::object delta{
      {"stop_reason", reason},
      {"stop_sequence", reason == "stop_sequence" ? json::value(matchedStop_) : nullptr}};
  appendEvent(out, "message_delta",
              json::object{{"type", "message_delta"},
                           {"delta", std::move(delta)},
                           {"usage", anthropic_map::toJson(usage_)}});
  appendEvent(out, "message_stop", json::object{{"type", "message_stop"}});
  ended_ = true;
}

void AnthropicStreamEncoder::errorEvent(std::string_view type, std::string_view message,
                                        std::string& out) {
  appendEvent(out, "error",
              json::object{{"type", "error"},
                           {"error", json::object{{"type", type}, {"message", message}}}});
  ended_ = true;
}

Result<void> AnthropicStreamEncoder::onOpenAiEvent(std::string_view data, std::string& out) {
  if (data == "[DONE]") {
    if (!ended_) finish(out);
    finished_ = true;
    return {};
  }
  if (ended_) return {};
  boost::system::error_code ec;
  // A chunk is small and parsed once per token: its tree lives in a buffer on the stack, with no
  // allocation unless it outgrows it.
  unsigned char scratch[4096];
  json::monotonic_resource arena(scratch, sizeof scratch);
  json::value root = json::parse(data, ec, &arena);
  if (ec || !root.is_object()) return badUpstream("upstream stream chunk is not a JSON object");
  const auto& chunk = root.get_object();

  if (const auto* err = chunk.if_contains("error"); err && !err->is_null()) {
    std::string_view type = "api_error";
    std::string_view message = "upstream error";
    if (const auto* e = err->if_object()) {
      type = anthropicErrorType(stringOr(*e, "type"), stringOr(*e, "code"));
      message = stringOr(*e, "message", message);
    } else if (err->is_string()) {
      message = err->get_string();
    }
    errorEvent(type, message, out);
    return {};
  }

  // Usage may come in its own chunk or in the last content chunk; the latest one wins.
  if (const auto* u = chunk.if_contains("usage"); u && u->is_object()) {
    usage_ = anthropic_map::usageFromOpenAi(u->get_object());
  }
  if (!started_) start(stringOr(chunk, "id"), out);

  const auto* choices = chunk.if_contains("choices");
  if (!choices || !choices->is_array()) return {};
  for (const auto& c : choices->get_array()) {
    const auto* choice = c.if_object();
    if (!choice) return badUpstream("upstream stream choice is not an object");
    // Anthropic has no n > 1: only the first choice is translated.
    if (const auto* i = choice->if_contains("index"); i && i->is_int64() && i->get_int64() != 0) {
      continue;
    }
    if (const auto* d = choice->if_contains("delta"); d && d->is_object()) {
      const auto& delta = d->get_object();
      if (const std::string_view r = reasoningText(delta); !r.empty()) thinkingDelta(r, out);
      if (const std::string text = contentText(delta.if_contains("content")); !text.empty()) {
        textDelta(text, out);
      }
      if (const std::string_view refusal = stringOr(delta, "refusal"); !refusal.empty()) {
        sawRefusal_ = true;
        textDelta(refusal, out);
      }
      if (const auto* calls = delta.if_contains("tool_calls"); calls && calls->is_array()) {
        for (const auto& call : calls->get_array()) {
          if (auto r = toolDelta(call, out); !r) return r;
        }
      }
    }
    if (const std::string_view f = stringOr(*choice, "finish_reason"); !f.empty()) {
      finishReason_ = f;
      matchedStop_ = matchedStop(*choice, stopSequences_);
    }
  }
  return {};
}

Result<void> AnthropicStreamEncoder::onOpenAiSse(std::string_view bytes, std::string& out) {
  Result<void> result;
  const bool ok = sse_.feed(bytes, [&](const SseEvent& e) {
    if (result) result = onOpenAiEvent(e.data, out);
  });
  if (!result) return result;
  if (!ok) return badUpstream("upstream stream event is too large");
  return {};
}

void AnthropicStreamEncoder::fail(const Error& e, std::string& out) {
  if (ended_) return;
  out.append("event: error\ndata: ").append(e.toAnthropicJson()).append("\n\n");
  ended_ = true;
}

}  // namespace switchyard
