// Google streamGenerateContent (alt=sse) events → OpenAI chat.completion.chunk events.

#include <ctime>
#include <optional>
#include <variant>
#include <vector>

#include "providers/common/errors.hpp"
#include "providers/common/json_fields.hpp"
#include "providers/gemini/gemini_translate.hpp"
#include "providers/openai/openai_stream.hpp"
#include "providers/openai/openai_usage.hpp"

namespace switchyard {

namespace json = boost::json;
using namespace common;

namespace {

constexpr size_t kMaxCandidates = 16;
constexpr size_t kMaxArrayIndex = 4096;

using PathSegment = std::variant<std::string, size_t>;

// "$.a.b[2]['c d']" → {"a","b",2,"c d"}; nullopt for anything else.
std::optional<std::vector<PathSegment>> parseJsonPath(std::string_view path) {
  if (!path.starts_with("$")) return std::nullopt;
  std::vector<PathSegment> out;
  size_t i = 1;
  while (i < path.size()) {
    if (path[i] == '.') {
      const size_t end = path.find_first_of(".[", i + 1);
      std::string_view key = path.substr(i + 1, end == std::string_view::npos ? end : end - i - 1);
      if (key.empty()) return std::nullopt;
      out.emplace_back(std::string(key));
      i = end == std::string_view::npos ? path.size() : end;
    } else if (path[i] == '[') {
      const size_t close = path.find(']', i);
      if (close == std::string_view::npos) return std::nullopt;
      std::string_view inner = path.substr(i + 1, close - i - 1);
      if (inner.size() >= 2 && (inner.front() == '\'' || inner.front() == '"') &&
          inner.back() == inner.front()) {
        out.emplace_back(std::string(inner.substr(1, inner.size() - 2)));
      } else {
        size_t index = 0;
        if (inner.empty()) return std::nullopt;
        for (char c : inner) {
          if (c < '0' || c > '9') return std::nullopt;
          index = index * 10 + size_t(c - '0');
          if (index > kMaxArrayIndex) return std::nullopt;
        }
        out.emplace_back(index);
      }
      i = close + 1;
    } else {
      return std::nullopt;
    }
  }
  return out;
}

// The value at `path` under `root`, created (objects, arrays padded with null) as needed.
json::value* slotAt(json::value& root, const std::vector<PathSegment>& path) {
  json::value* at = &root;
  for (const auto& seg : path) {
    if (const auto* key = std::get_if<std::string>(&seg)) {
      if (!at->is_object()) *at = json::object();
      at = &at->get_object()[*key];
    } else {
      const size_t index = std::get<size_t>(seg);
      if (!at->is_array()) *at = json::array();
      auto& arr = at->get_array();
      while (arr.size() <= index) arr.emplace_back(nullptr);
      at = &arr[index];
    }
  }
  return at;
}

}  // namespace

struct GeminiStreamTranslator::State {
  struct Candidate {
    bool started = false;
    bool finished = false;
    int toolCalls = 0;  // tool_calls indices used in this choice
    // A call whose arguments arrive as partialArgs, until a part without willContinue.
    bool open = false;
    int openIndex = 0;
    json::value args;
    std::string continuingPath;  // the jsonPath whose string value is still growing
  };

  std::string model;
  bool clientWantsUsage = false;
  std::string prefix;  // the chunk JSON up to "choices":
  std::vector<Candidate> candidates;
  int callCounter = 0;

  void begin(const json::object& event) {
    if (!prefix.empty()) return;
    auto responseId = stringField(event, "responseId");
    auto version = stringField(event, "modelVersion");
    json::object head{{"id", "chatcmpl-" + std::string(responseId.empty() ? "gemini" : responseId)},
                      {"object", "chat.completion.chunk"},
                      {"created", int64_t(std::time(nullptr))},
                      {"model", version.empty() ? std::string_view(model) : version}};
    prefix = json::serialize(head);
    prefix.pop_back();
    prefix.append(",\"choices\":");
  }

  void emit(std::string& out, size_t index, const json::object& delta,
            std::string_view finishReason = {}) const {
    std::string payload = prefix;
    payload.append("[{\"index\":").append(std::to_string(index)).append(",\"delta\":");
    payload.append(json::serialize(delta));
    payload.append(",\"finish_reason\":");
    payload.append(finishReason.empty() ? std::string("null")
                                        : json::serialize(json::string(finishReason)));
    payload.append("}]}");
    appendSseData(out, payload);
  }

  void start(std::string& out, size_t index, Candidate& c) const {
    if (c.started) return;
    c.started = true;
    emit(out, index, json::object{{"role", "assistant"}, {"content", ""}});
  }

  void emitCall(std::string& out, size_t index, Candidate& c, std::string id, std::string_view name,
                std::string arguments) {
    if (id.empty()) id = "call_" + std::to_string(callCounter);
    ++callCounter;
    json::object call{{"index", c.toolCalls},
                      {"id", id},
                      {"type", "function"},
                      {"function", json::object{{"name", name}, {"arguments", arguments}}}};
    emit(out, index, json::object{{"tool_calls", json::array{std::move(call)}}});
    ++c.toolCalls;
  }

  void closeOpenCall(std::string& out, size_t index, Candidate& c) const {
    if (!c.open) return;
    c.open = false;
    json::object call{{"index", c.openIndex},
                      {"function", json::object{{"arguments", json::serialize(c.args)}}}};
    emit(out, index, json::object{{"tool_calls", json::array{std::move(call)}}});
    c.args = nullptr;
    c.continuingPath.clear();
  }

  void applyPartialArgs(Candidate& c, const json::array& partials) const {
    for (const auto& p : partials) {
      const auto* arg = p.if_object();
      if (!arg) continue;
      const auto pathText = stringField(*arg, "jsonPath");
      auto path = parseJsonPath(pathText);
      if (!path) continue;
      json::value* slot = slotAt(c.args, *path);
      if (const auto* s = arg->if_contains("stringValue"); s && s->is_string()) {
        if (c.continuingPath == pathText && slot->is_string()) {
          slot->get_string().append(s->get_string());
        } else {
          *slot = s->get_string();
        }
      } else if (const auto* n = arg->if_contains("numberValue"); n && n->is_number()) {
        *slot = *n;
      } else if (const auto* b = arg->if_contains("boolValue"); b && b->is_bool()) {
        *slot = *b;
      } else if (arg->contains("nullValue")) {
        *slot = nullptr;
      }
      c.continuingPath = boolField(*arg, "willContinue") ? std::string(pathText) : std::string();
    }
  }

  void onFunctionCall(std::string& out, size_t index, Candidate& c, const json::object& call) {
    const auto name = stringField(call, "name");
    const bool more = boolField(call, "willContinue");
    const auto* partials = arrayField(call, "partialArgs");
    if (!name.empty()) {
      closeOpenCall(out, index, c);
      const auto* args = call.if_contains("args");
      if (!more && !partials) {
        emitCall(out, index, c, std::string(stringField(call, "id")), name,
                 args && args->is_object() ? json::serialize(*args) : std::string("{}"));
        return;
      }
      c.open = true;
      c.openIndex = c.toolCalls;
      c.args = args && args->is_object() ? *args : json::value(json::object());
      emitCall(out, index, c, std::string(stringField(call, "id")), name, "");
    }
    if (!c.open) return;
    if (partials) applyPartialArgs(c, *partials);
    if (!more) closeOpenCall(out, index, c);
  }
};

GeminiStreamTranslator::GeminiStreamTranslator(std::string model, bool clientWantsUsage)
    : state_(std::make_unique<State>()) {
  state_->model = std::move(model);
  state_->clientWantsUsage = clientWantsUsage;
}

GeminiStreamTranslator::~GeminiStreamTranslator() = default;

Result<void> GeminiStreamTranslator::onEvent(std::string_view, std::string_view data,
                                             std::string& out, Usage& usage) {
  if (data.empty() || data == "[DONE]") return {};
  auto parsed = parseObjectBody(data);
  if (!parsed) return badUpstream("The upstream sent a stream event that is not a JSON object.");
  const json::object& event = *parsed;
  if (event.contains("error")) return classifyGoogleError(0, data, {});
  if (const auto* meta = objectField(event, "usageMetadata")) readGeminiUsage(*meta, usage);
  if (finished_) return {};

  State& s = *state_;
  s.begin(event);
  bool sawFinish = false;
  if (const auto* candidates = arrayField(event, "candidates")) {
    for (size_t i = 0; i < candidates->size(); ++i) {
      const auto* cand = (*candidates)[i].if_object();
      if (!cand) return badUpstream("The upstream sent a candidate that is not an object.");
      const auto* idx = cand->if_contains("index");
      const size_t index =
          idx && idx->is_int64() && idx->get_int64() >= 0 ? size_t(idx->get_int64()) : i;
      if (index >= kMaxCandidates) return badUpstream("The upstream sent too many candidates.");
      if (s.candidates.size() <= index) s.candidates.resize(index + 1);
      auto& c = s.candidates[index];
      if (c.finished) continue;
      s.start(out, index, c);
      const auto* content = objectField(*cand, "content");
      const auto* parts = content ? arrayField(*content, "parts") : nullptr;
      for (size_t p = 0; parts && p < parts->size(); ++p) {
        const auto* part = (*parts)[p].if_object();
        if (!part) continue;
        if (const auto* call = objectField(*part, "functionCall")) {
          s.onFunctionCall(out, index, c, *call);
          continue;
        }
        const auto text = stringField(*part, "text");
        if (text.empty()) continue;
        s.emit(out, index,
               json::object{{boolField(*part, "thought") ? "reasoning_content" : "content", text}});
      }
      if (const auto reason = stringField(*cand, "finishReason"); !reason.empty()) {
        s.closeOpenCall(out, index, c);
        s.emit(out, index, json::object{}, geminiFinishReason(reason, c.toolCalls > 0));
        c.finished = true;
        sawFinish = true;
      }
    }
  }
  if (s.candidates.empty()) {
    const auto* feedback = objectField(event, "promptFeedback");
    if (feedback && !stringField(*feedback, "blockReason").empty()) {
      s.candidates.resize(1);
      s.start(out, 0, s.candidates[0]);
      s.emit(out, 0, json::object{}, "content_filter");
      s.candidates[0].finished = true;
      sawFinish = true;
    }
  }
  if (!sawFinish) return {};
  for (const auto& c : s.candidates) {
    if (c.started && !c.finished) return {};
  }
  finished_ = true;
  if (s.clientWantsUsage && usage.present) {
    std::string payload = s.prefix;
    payload.append("[],\"usage\":");
    payload.append(json::serialize(openAiUsageJson(usage)));
    payload.push_back('}');
    appendSseData(out, payload);
  }
  appendSseData(out, "[DONE]");
  return {};
}

}  // namespace switchyard
