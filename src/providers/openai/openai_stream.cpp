#include "providers/openai/openai_stream.hpp"

#include <boost/json.hpp>

#include "api/sse_write.hpp"
#include "core/text.hpp"
#include "providers/common/scratch_json.hpp"
#include "providers/common/sse_events.hpp"
#include "providers/openai/openai_fields.hpp"
#include "providers/openai/openai_usage.hpp"

namespace switchyard {

namespace json = boost::json;

namespace {

Error notJson() {
  return Error::make(ErrorClass::kBadUpstream, "The upstream sent a stream chunk that is not JSON.",
                     {}, "bad_upstream_response");
}

// Whether a chunk carries anything of the answer: non-empty text, reasoning or refusal, a tool
// call, or a finish reason.
bool carriesContent(const json::object& chunk) {
  const auto* choices = chunk.if_contains("choices");
  if (!choices || !choices->is_array()) return false;
  for (const auto& c : choices->get_array()) {
    const auto* choice = c.if_object();
    if (!choice) continue;
    if (const auto* f = choice->if_contains("finish_reason"); f && !f->is_null()) return true;
    if (!common::stringField(*choice, "text").empty()) return true;  // legacy completions
    const auto* d = choice->if_contains("delta");
    const auto* delta = d ? d->if_object() : nullptr;
    if (!delta) continue;
    if (delta->contains("tool_calls") || !reasoningOf(*delta).empty() ||
        !common::stringField(*delta, "refusal").empty()) {
      return true;
    }
    if (const auto* content = delta->if_contains("content")) {
      if (content->is_string() ? !content->get_string().empty()
                               : content->is_array() && !content->get_array().empty()) {
        return true;
      }
    }
  }
  return false;
}

// An error chunk ({"error":{...}}) in the gateway's classes, by its type or code.
Error streamError(const json::value& err) {
  std::string_view type;
  std::string_view code;
  std::string message = "The upstream reported an error inside the stream.";
  if (const auto* e = err.if_object()) {
    type = common::stringField(*e, "type");
    code = common::stringField(*e, "code");
    if (auto m = common::stringField(*e, "message"); !m.empty()) message = m;
  } else if (err.is_string()) {
    message = err.get_string();
  }
  auto has = [&](std::string_view needle) {
    return type.find(needle) != std::string_view::npos ||
           code.find(needle) != std::string_view::npos;
  };
  ErrorClass cls = ErrorClass::kBadUpstream;
  if (has("rate_limit")) {
    cls = ErrorClass::kRateLimited;
  } else if (has("overloaded")) {
    cls = ErrorClass::kUpstreamServer;
  } else if (has("authentication")) {
    cls = ErrorClass::kUnauthorized;
  } else if (has("permission")) {
    cls = ErrorClass::kForbidden;
  } else if (has("not_found")) {
    cls = ErrorClass::kNotFound;
  } else if (has("invalid_request") || has("context_length")) {
    cls = ErrorClass::kBadRequest;
  }
  return Error::make(cls, std::move(message), {}, "upstream_stream_error");
}

}  // namespace

Result<void> OpenAiStreamPassThrough::onBytes(std::string_view bytes, std::string& out,
                                              Usage& usage) {
  return common::feedEvents(sse_, bytes,
                            [&](const SseEvent& e) { return onData(e.data, out, usage); });
}

Result<void> OpenAiStreamPassThrough::onData(std::string_view data, std::string& out,
                                             Usage& usage) {
  if (data == "[DONE]") {
    done_ = true;
    sawContent_ = true;
    appendSseData(out, data);
    return {};
  }
  if (data.empty() || data.front() != '{' || data.back() != '}') return notJson();
  // Only chunks that mention usage with a value or tool calls, and the first chunks until one
  // carries content when that is watched, are parsed; the rest are forwarded untouched, which keeps
  // the per-chunk cost at a few substring searches.
  const bool mayCarryUsage = contains(data, "\"usage\"") && !contains(data, "\"usage\":null");
  const bool mayCallTools = contains(data, "\"tool_calls\"");
  const bool watch = watching_ && !sawContent_;
  if (!mayCarryUsage && !mayCallTools && !watch) {
    appendSseData(out, data);
    return {};
  }
  common::ScratchJson<> parsed;
  auto* chunk = parsed.parseObject(data);
  if (!chunk) return notJson();
  auto& obj = *chunk;
  if (watch) sawContent_ = carriesContent(obj);
  const std::string rewritten = mayCallTools && addToolIndexes(obj) ? json::serialize(obj) : "";
  const std::string_view forwarded = rewritten.empty() ? data : std::string_view(rewritten);
  if (!mayCarryUsage) {
    appendSseData(out, forwarded);
    return {};
  }
  const auto* u = obj.if_contains("usage");
  if (u && u->is_object()) {
    readOpenAiUsage(*u, usage);
  } else if (const auto* groq = obj.if_contains("x_groq"); groq && groq->is_object()) {
    // Groq reports stream usage inside its own x_groq object on the last chunk.
    if (const auto* gu = groq->get_object().if_contains("usage"); gu && gu->is_object()) {
      readOpenAiUsage(*gu, usage);
    }
  }
  const auto* choices = obj.if_contains("choices");
  const bool usageOnly =
      u && u->is_object() && choices && choices->is_array() && choices->get_array().empty();
  if (usageOnly && !clientWantsUsage_) return {};
  appendSseData(out, forwarded);
  return {};
}

void OpenAiStreamPassThrough::fail(const Error& e, std::string& out) {
  // OpenAI clients read a chunk with an `error` object as a failure, and the missing [DONE]
  // tells them the answer is incomplete.
  appendSseData(out, e.toOpenAiJson());
}

bool OpenAiStreamPassThrough::addToolIndexes(json::object& chunk) {
  bool added = false;
  auto* choices = chunk.if_contains("choices");
  if (!choices || !choices->is_array()) return false;
  for (auto& c : choices->get_array()) {
    auto* delta = c.is_object() ? c.get_object().if_contains("delta") : nullptr;
    auto* calls =
        delta && delta->is_object() ? delta->get_object().if_contains("tool_calls") : nullptr;
    if (!calls || !calls->is_array()) continue;
    for (auto& entry : calls->get_array()) {
      auto* call = entry.if_object();
      if (!call) continue;
      // A copy: adding the index may move the call's members.
      const std::string id(common::stringField(*call, "id"));
      if (const auto* i = call->if_contains("index"); i && i->is_int64()) {
        lastToolIndex_ = i->get_int64();
      } else {
        // A new id starts the next call.
        if (lastToolIndex_ < 0 || (!id.empty() && id != lastToolId_)) ++lastToolIndex_;
        (*call)["index"] = lastToolIndex_;
        added = true;
      }
      if (!id.empty()) lastToolId_ = id;
    }
  }
  return added;
}

Result<void> OpenAiStreamDecoder::onEvent(std::string_view, std::string_view data,
                                          EventSink& sink) {
  if (done_) return {};
  if (data == "[DONE]") {
    announcePending(sink);
    if (!started_) sink.onEvent(StreamEvent::start({}, {}, 0));
    sink.onEvent(StreamEvent::end());
    done_ = true;
    return {};
  }
  if (scan_.read(data)) {
    onScanned(sink);
    return {};
  }
  common::ScratchJson<> parsed;
  const auto* chunk = parsed.parseObject(data);
  if (!chunk) return notJson();
  return onChunk(*chunk, sink);
}

// The events onChunk makes of a chunk of the common shape.
void OpenAiStreamDecoder::onScanned(EventSink& sink) {
  if (!started_) {
    started_ = true;
    sink.onEvent(StreamEvent::start(scan_.id, scan_.model, scan_.created));
  }
  for (size_t i = 0; i < scan_.choiceCount; ++i) {
    const ChunkScan::Choice& c = scan_.choices[i];
    if (c.hasText) sink.onEvent(StreamEvent::delta(StreamEvent::Kind::kText, c.text, c.index));
    if (!c.refusal.empty()) {
      sink.onEvent(StreamEvent::delta(StreamEvent::Kind::kRefusal, c.refusal, c.index));
    }
    if (!c.finishReason.empty()) {
      announcePending(sink);
      sink.onEvent(StreamEvent::finish(c.finishReason, c.index, c.stopReason));
    }
  }
}

Result<void> OpenAiStreamDecoder::onChunk(const json::object& chunk, EventSink& sink) {
  if (const auto* err = chunk.if_contains("error"); err && !err->is_null()) {
    const Error e = streamError(*err);
    // Before anything was said the attempt can still be retried elsewhere.
    if (!started_) return e;
    sink.onEvent(StreamEvent::failure(e));
    done_ = true;
    return {};
  }
  const auto* usage = chunk.if_contains("usage");
  if (!usage || !usage->is_object()) {
    // Groq reports stream usage inside its own x_groq object on the last chunk.
    const auto* groq = chunk.if_contains("x_groq");
    usage = groq && groq->is_object() ? groq->get_object().if_contains("usage") : nullptr;
  }
  // Usage first: a client format that reports tokens at its message start can use what the
  // first chunk already says.
  if (usage && usage->is_object()) {
    readOpenAiUsage(*usage, usage_);
    sink.onEvent(StreamEvent::usageIs(usage_));
  }
  if (!started_) {
    started_ = true;
    const auto* created = chunk.if_contains("created");
    sink.onEvent(StreamEvent::start(common::stringField(chunk, "id"),
                                    common::stringField(chunk, "model"),
                                    created && created->is_int64() ? created->get_int64() : 0));
  }
  const auto* choices = chunk.if_contains("choices");
  if (!choices || !choices->is_array()) return {};
  for (const auto& c : choices->get_array()) {
    const auto* choice = c.if_object();
    if (!choice) {
      return Error::make(ErrorClass::kBadUpstream, "The upstream sent a malformed stream choice.",
                         {}, "bad_upstream_response");
    }
    int32_t index = 0;
    if (const auto* i = choice->if_contains("index"); i && i->is_int64()) {
      index = static_cast<int32_t>(i->get_int64());
    }
    if (const auto* d = choice->if_contains("delta"); d && d->is_object()) {
      const auto& delta = d->get_object();
      emitMessageText(delta, index, sink);
      if (const auto* calls = delta.if_contains("tool_calls"); calls && calls->is_array()) {
        for (const auto& call : calls->get_array()) {
          if (auto r = toolDelta(index, call, sink); !r) return r;
        }
      }
    }
    if (auto finish = common::stringField(*choice, "finish_reason"); !finish.empty()) {
      announcePending(sink);
      // vLLM and others put the matched stop string in stop_reason.
      sink.onEvent(StreamEvent::finish(finish, index, common::stringField(*choice, "stop_reason")));
    }
  }
  return {};
}

Result<void> OpenAiStreamDecoder::toolDelta(int32_t choice, const json::value& value,
                                            EventSink& sink) {
  const auto* call = value.if_object();
  if (!call) {
    return Error::make(ErrorClass::kBadUpstream, "The upstream sent a malformed tool call delta.",
                       {}, "bad_upstream_response");
  }
  const std::string_view id = common::stringField(*call, "id");
  std::string_view name;
  std::string_view arguments;
  if (const auto* fn = call->if_contains("function"); fn && fn->is_object()) {
    name = common::stringField(fn->get_object(), "name");
    arguments = common::stringField(fn->get_object(), "arguments");
  }
  // Without an index (Mistral), a new id starts a new call.
  int32_t index = lastTool_ < 0 ? 0 : tools_[lastTool_].index;
  if (const auto* i = call->if_contains("index"); i && i->is_int64()) {
    index = static_cast<int32_t>(i->get_int64());
  } else if (!id.empty() && lastTool_ >= 0 && id != tools_[lastTool_].id) {
    index = tools_[lastTool_].index + 1;
  }
  int32_t at = -1;
  for (size_t k = 0; k < tools_.size(); ++k) {
    if (tools_[k].choice == choice && tools_[k].index == index) at = static_cast<int32_t>(k);
  }
  if (at < 0) {
    tools_.push_back(ToolCall{choice, index, std::string(id), false, {}});
    at = static_cast<int32_t>(tools_.size() - 1);
  }
  lastTool_ = at;
  ToolCall& t = tools_[at];
  if (t.id.empty()) t.id = id;
  if (!t.announced && !name.empty()) {
    t.announced = true;
    sink.onEvent(StreamEvent::toolCall(index, t.id, name, choice));
    if (!t.pending.empty()) {
      sink.onEvent(StreamEvent::toolArguments(index, t.pending, choice));
      t.pending.clear();
    }
  }
  if (arguments.empty()) return {};
  if (t.announced) {
    sink.onEvent(StreamEvent::toolArguments(index, arguments, choice));
  } else {
    t.pending.append(arguments);
  }
  return {};
}

// A tool call whose name never came is still announced before the answer ends, so its arguments
// are not lost.
void OpenAiStreamDecoder::announcePending(EventSink& sink) {
  for (ToolCall& t : tools_) {
    if (t.announced) continue;
    t.announced = true;
    sink.onEvent(StreamEvent::toolCall(t.index, t.id, {}, t.choice));
    if (!t.pending.empty()) sink.onEvent(StreamEvent::toolArguments(t.index, t.pending, t.choice));
    t.pending.clear();
  }
}

}  // namespace switchyard
