#include "api/openai/responses_output.hpp"

#include <sys/random.h>

#include <boost/json/serialize.hpp>
#include <charconv>
#include <ctime>

#include "api/sse_write.hpp"
#include "core/json_escape.hpp"
#include "core/random.hpp"

namespace switchyard {

namespace json = boost::json;

namespace {

// 48 hex digits, as OpenAI's ids have after their prefix. From the kernel's CSPRNG (one
// getrandom call, no file): the id names a stored conversation, so it must not be guessable from
// other ids the way a fast generator's next number is.
std::string newResponseHex() {
  uint64_t words[3];
  if (getrandom(words, sizeof words, 0) != static_cast<ssize_t>(sizeof words)) {
    thread_local FastRandom rng = FastRandom::seeded();
    for (auto& w : words) w = rng();
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (uint64_t r : words) {
    for (int i = 0; i < 16; ++i, r >>= 4) hex.push_back(kHex[r & 15]);
  }
  return hex;
}

json::value echoed(const json::object& echo, std::string_view key, json::value fallback) {
  const auto* v = echo.if_contains(key);
  return v && !v->is_null() ? *v : std::move(fallback);
}

json::object usageJson(const Usage& u) {
  auto count = [](int64_t n) { return std::max<int64_t>(n, 0); };
  const int64_t input = count(u.promptTokens);
  const int64_t output = count(u.completionTokens);
  return json::object{
      {"input_tokens", input},
      {"input_tokens_details", json::object{{"cached_tokens", count(u.cachedPromptTokens)}}},
      {"output_tokens", output},
      {"output_tokens_details", json::object{{"reasoning_tokens", count(u.reasoningTokens)}}},
      {"total_tokens", u.totalTokens > 0 ? u.totalTokens : input + output}};
}

}  // namespace

ResponsesAssembler::ResponsesAssembler(const ApiRequest& req)
    : req_(req), id_("resp_" + newResponseHex()), createdAt_(std::time(nullptr)) {}

std::string_view ResponsesAssembler::status() const {
  if (failure_) return "failed";
  if (!ended_) return "in_progress";
  return finishReason_ == "length" || finishReason_ == "content_filter" ? "incomplete"
                                                                        : "completed";
}

json::object ResponsesAssembler::itemJson(const Item& item) const {
  const std::string_view itemStatus =
      !item.done ? "in_progress" : (ended_ && status() != "completed" ? "incomplete" : "completed");
  switch (item.type) {
    case ItemType::kMessage:
    case ItemType::kRefusal: {
      json::array content;
      if (item.done || !item.text.empty()) {
        if (item.type == ItemType::kMessage) {
          content.push_back(json::object{{"type", "output_text"},
                                         {"text", item.text},
                                         {"annotations", json::array()},
                                         {"logprobs", json::array()}});
        } else {
          content.push_back(json::object{{"type", "refusal"}, {"refusal", item.text}});
        }
      }
      return json::object{{"id", item.id},
                          {"type", "message"},
                          {"status", itemStatus},
                          {"content", std::move(content)},
                          {"role", "assistant"}};
    }
    case ItemType::kFunctionCall:
      return json::object{{"id", item.id},          {"type", "function_call"},
                          {"status", itemStatus},   {"arguments", item.text},
                          {"call_id", item.callId}, {"name", item.name}};
    case ItemType::kReasoning: {
      json::array summary;
      if (item.done) summary.push_back(json::object{{"type", "summary_text"}, {"text", item.text}});
      return json::object{{"id", item.id}, {"type", "reasoning"}, {"summary", std::move(summary)}};
    }
  }
  return {};
}

json::array ResponsesAssembler::outputItems() const {
  json::array output;
  for (const auto& item : items_) output.push_back(itemJson(item));
  return output;
}

json::object ResponsesAssembler::response() const {
  const json::object& echo = req_.clientEcho;
  const std::string_view st = status();
  json::value incomplete = nullptr;
  if (st == "incomplete") {
    incomplete = json::object{
        {"reason", finishReason_ == "length" ? "max_output_tokens" : "content_filter"}};
  }
  json::value error = nullptr;
  if (failure_) {
    error = json::object{{"code", failure_->code.empty() ? "server_error" : failure_->code},
                         {"message", failure_->message}};
  }
  return json::object{
      {"id", id_},
      {"object", "response"},
      {"created_at", createdAt_},
      {"status", st},
      {"background", false},
      {"error", std::move(error)},
      {"incomplete_details", std::move(incomplete)},
      {"instructions", echoed(echo, "instructions", nullptr)},
      {"max_output_tokens", echoed(echo, "max_output_tokens", nullptr)},
      {"model", req_.model},
      {"output", outputItems()},
      {"parallel_tool_calls", echoed(echo, "parallel_tool_calls", true)},
      {"previous_response_id", echoed(echo, "previous_response_id", nullptr)},
      {"reasoning",
       echoed(echo, "reasoning", json::object{{"effort", nullptr}, {"summary", nullptr}})},
      {"service_tier", echoed(echo, "service_tier", "default")},
      {"store", echoed(echo, "store", true)},
      {"temperature", echoed(echo, "temperature", 1.0)},
      {"text", echoed(echo, "text", json::object{{"format", json::object{{"type", "text"}}}})},
      {"tool_choice", echoed(echo, "tool_choice", "auto")},
      {"tools", echoed(echo, "tools", json::array())},
      {"top_p", echoed(echo, "top_p", 1.0)},
      {"truncation", echoed(echo, "truncation", "disabled")},
      {"usage", ended_ && usage_.present ? json::value(usageJson(usage_)) : json::value(nullptr)},
      {"user", echoed(echo, "user", nullptr)},
      {"metadata", echoed(echo, "metadata", json::object())}};
}

void ResponsesAssembler::emit(std::string& out, std::string_view type, json::object event) {
  event["type"] = type;
  event["sequence_number"] = sequence_++;
  appendSseEvent(out, type, json::serialize(event));
}

void ResponsesAssembler::start(std::string* out) {
  started_ = true;
  if (!out) return;
  emit(*out, "response.created", json::object{{"response", response()}});
  emit(*out, "response.in_progress", json::object{{"response", response()}});
}

size_t ResponsesAssembler::open(ItemType type, std::string* out, std::string_view callId,
                                std::string_view name) {
  close(out);
  const size_t index = items_.size();
  static constexpr std::string_view kPrefix[] = {"msg_", "msg_", "fc_", "rs_"};
  Item item;
  item.type = type;
  item.id = std::string(kPrefix[static_cast<int>(type)]) + id_.substr(5) + std::to_string(index);
  if (type == ItemType::kFunctionCall) {
    item.callId = callId.empty() ? "call_" + item.id.substr(3) : std::string(callId);
    item.name = name;
  }
  items_.push_back(std::move(item));
  open_ = index;
  if (!out) return index;
  const Item& it = items_.back();
  emit(*out, "response.output_item.added",
       json::object{{"output_index", index}, {"item", itemJson(it)}});
  if (type == ItemType::kMessage || type == ItemType::kRefusal) {
    json::object part = type == ItemType::kMessage
                            ? json::object{{"type", "output_text"},
                                           {"text", ""},
                                           {"annotations", json::array()},
                                           {"logprobs", json::array()}}
                            : json::object{{"type", "refusal"}, {"refusal", ""}};
    emit(*out, "response.content_part.added",
         json::object{{"item_id", it.id},
                      {"output_index", index},
                      {"content_index", 0},
                      {"part", std::move(part)}});
  } else if (type == ItemType::kReasoning) {
    emit(*out, "response.reasoning_summary_part.added",
         json::object{{"item_id", it.id},
                      {"output_index", index},
                      {"summary_index", 0},
                      {"part", json::object{{"type", "summary_text"}, {"text", ""}}}});
  }
  return index;
}

void ResponsesAssembler::close(std::string* out) {
  if (open_ == SIZE_MAX) return;
  const size_t index = open_;
  open_ = SIZE_MAX;
  Item& it = items_[index];
  it.done = true;
  if (!out) return;
  const json::object item = itemJson(it);
  switch (it.type) {
    case ItemType::kMessage:
    case ItemType::kRefusal: {
      const bool text = it.type == ItemType::kMessage;
      emit(*out, text ? "response.output_text.done" : "response.refusal.done",
           json::object{{"item_id", it.id},
                        {"output_index", index},
                        {"content_index", 0},
                        {text ? "text" : "refusal", it.text}});
      emit(*out, "response.content_part.done",
           json::object{{"item_id", it.id},
                        {"output_index", index},
                        {"content_index", 0},
                        {"part", item.at("content").get_array().at(0)}});
      break;
    }
    case ItemType::kFunctionCall:
      emit(*out, "response.function_call_arguments.done",
           json::object{{"item_id", it.id},
                        {"output_index", index},
                        {"name", it.name},
                        {"arguments", it.text}});
      break;
    case ItemType::kReasoning:
      emit(*out, "response.reasoning_summary_text.done",
           json::object{{"item_id", it.id},
                        {"output_index", index},
                        {"summary_index", 0},
                        {"text", it.text}});
      emit(*out, "response.reasoning_summary_part.done",
           json::object{{"item_id", it.id},
                        {"output_index", index},
                        {"summary_index", 0},
                        {"part", json::object{{"type", "summary_text"}, {"text", it.text}}}});
      break;
  }
  emit(*out, "response.output_item.done", json::object{{"output_index", index}, {"item", item}});
}

// The hot path (one per token) writes its JSON by hand instead of building a DOM.
void ResponsesAssembler::delta(const Item& item, size_t index, std::string_view type,
                               std::string_view text, std::string& out) {
  using namespace std::string_view_literals;
  char digits[24];
  auto number = [&](int64_t n) {
    out.append(digits, std::to_chars(digits, digits + sizeof digits, n).ptr);
  };
  out.append("event: "sv).append(type).append("\ndata: {\"type\":\""sv).append(type);
  out.append("\",\"sequence_number\":"sv);
  number(sequence_++);
  out.append(",\"item_id\":\""sv).append(item.id).append("\",\"output_index\":"sv);
  number(static_cast<int64_t>(index));
  if (item.type == ItemType::kReasoning) {
    out.append(",\"summary_index\":0"sv);
  } else if (item.type != ItemType::kFunctionCall) {
    out.append(",\"content_index\":0"sv);
  }
  out.append(",\"delta\":"sv);
  appendJsonString(out, text);
  if (item.type == ItemType::kMessage) out.append(",\"logprobs\":[]"sv);
  out.append("}\n\n"sv);
}

void ResponsesAssembler::onEvent(const StreamEvent& e, std::string* out) {
  using Kind = StreamEvent::Kind;
  if (ended_ || e.choice != 0) return;
  if (e.kind == Kind::kUsage) {
    usage_ = *e.usage;
    return;
  }
  if (!started_) start(out);
  // Text of one kind goes to the open item of that kind, or opens one.
  auto textInto = [&](ItemType type, std::string_view deltaType) {
    if (e.text.empty()) return;
    if (open_ == SIZE_MAX || items_[open_].type != type) open(type, out);
    Item& it = items_[open_];
    it.text.append(e.text);
    if (out) delta(it, open_, deltaType, e.text, *out);
  };
  switch (e.kind) {
    case Kind::kText:
      textInto(ItemType::kMessage, "response.output_text.delta");
      break;
    case Kind::kRefusal:
      textInto(ItemType::kRefusal, "response.refusal.delta");
      break;
    case Kind::kReasoning:
      textInto(ItemType::kReasoning, "response.reasoning_summary_text.delta");
      break;
    case Kind::kToolCall:
      toolItems_[e.index] = open(ItemType::kFunctionCall, out, e.id, e.name);
      break;
    case Kind::kToolArguments: {
      if (e.text.empty()) break;
      auto found = toolItems_.find(e.index);
      // Arguments of a call whose start was never seen still get an item of their own.
      if (found == toolItems_.end()) {
        found = toolItems_.emplace(e.index, open(ItemType::kFunctionCall, out)).first;
      }
      Item& it = items_[found->second];
      it.text.append(e.text);
      if (out) delta(it, found->second, "response.function_call_arguments.delta", e.text, *out);
      break;
    }
    case Kind::kFinish:
      finishReason_ = e.text;
      break;
    case Kind::kEnd:
      finish(out);
      break;
    case Kind::kError:
      fail(*e.error, out);
      break;
    case Kind::kStart:
    case Kind::kUsage:
    case Kind::kReasoningSignature:  // Anthropic's; a Responses client cannot hand it back
    case Kind::kRedactedReasoning:
      break;
  }
}

void ResponsesAssembler::finish(std::string* out) {
  ended_ = true;  // before closing: an item's status follows the response's
  close(out);
  if (!out) return;
  const std::string_view st = status();
  emit(*out, st == "incomplete" ? "response.incomplete" : "response.completed",
       json::object{{"response", response()}});
}

void ResponsesAssembler::fail(const Error& e, std::string* out) {
  if (ended_) return;
  failure_ = e;
  if (out && !started_) start(out);
  close(out);
  ended_ = true;
  if (!out) return;
  emit(*out, "error",
       json::object{{"code", e.code.empty() ? "server_error" : e.code},
                    {"message", e.message},
                    {"param", e.param.empty() ? json::value(nullptr) : json::value(e.param)}});
  emit(*out, "response.failed", json::object{{"response", response()}});
}

}  // namespace switchyard
