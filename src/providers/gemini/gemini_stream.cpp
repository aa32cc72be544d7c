// Google streamGenerateContent (alt=sse) events → canonical events.

#include <ctime>
#include <optional>
#include <variant>
#include <vector>

#include "providers/common/errors.hpp"
#include "providers/common/json_fields.hpp"
#include "providers/gemini/gemini_translate.hpp"

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

struct GeminiStreamDecoder::State {
  struct Candidate {
    bool started = false;
    bool finished = false;
    int toolCalls = 0;  // tool call positions used in this choice
    // A call whose arguments arrive as partialArgs, until a part without willContinue.
    bool open = false;
    int openIndex = 0;
    json::value args;
    std::string continuingPath;  // the jsonPath whose string value is still growing
  };

  std::string model;
  bool begun = false;
  std::vector<Candidate> candidates;
  int callCounter = 0;
  Usage usage;

  void begin(const json::object& event, EventSink& sink) {
    if (begun) return;
    begun = true;
    auto responseId = stringField(event, "responseId");
    auto version = stringField(event, "modelVersion");
    const std::string id = "chatcmpl-" + std::string(responseId.empty() ? "gemini" : responseId);
    sink.onEvent(StreamEvent::start(id, version.empty() ? std::string_view(model) : version,
                                    int64_t(std::time(nullptr))));
  }

  void emitCall(EventSink& sink, int32_t index, Candidate& c, std::string id, std::string_view name,
                std::string_view arguments, std::string_view signature) {
    if (id.empty()) id = "call_" + std::to_string(callCounter);
    ++callCounter;
    sink.onEvent(StreamEvent::toolCall(c.toolCalls, id, name, index, signature));
    sink.onEvent(StreamEvent::toolArguments(c.toolCalls, arguments, index));
    ++c.toolCalls;
  }

  void closeOpenCall(EventSink& sink, int32_t index, Candidate& c) const {
    if (!c.open) return;
    c.open = false;
    const std::string arguments = json::serialize(c.args);
    sink.onEvent(StreamEvent::toolArguments(c.openIndex, arguments, index));
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

  // `signature`: the part's thoughtSignature (Gemini 3 wants it back with the call).
  void onFunctionCall(EventSink& sink, int32_t index, Candidate& c, const json::object& call,
                      std::string_view signature) {
    const auto name = stringField(call, "name");
    const bool more = boolField(call, "willContinue");
    const auto* partials = arrayField(call, "partialArgs");
    if (!name.empty()) {
      closeOpenCall(sink, index, c);
      const auto* args = call.if_contains("args");
      if (!more && !partials) {
        emitCall(sink, index, c, std::string(stringField(call, "id")), name,
                 args && args->is_object() ? json::serialize(*args) : std::string("{}"), signature);
        return;
      }
      c.open = true;
      c.openIndex = c.toolCalls;
      c.args = args && args->is_object() ? *args : json::value(json::object());
      emitCall(sink, index, c, std::string(stringField(call, "id")), name, "", signature);
    }
    if (!c.open) return;
    if (partials) applyPartialArgs(c, *partials);
    if (!more) closeOpenCall(sink, index, c);
  }
};

GeminiStreamDecoder::GeminiStreamDecoder(std::string model) : state_(std::make_unique<State>()) {
  state_->model = std::move(model);
}

GeminiStreamDecoder::~GeminiStreamDecoder() = default;

Result<void> GeminiStreamDecoder::onEvent(std::string_view, std::string_view data,
                                          EventSink& sink) {
  if (data.empty() || data == "[DONE]") return {};
  auto parsed = parseObjectBody(data);
  if (!parsed) return badUpstream("The upstream sent a stream event that is not a JSON object.");
  const json::object& event = *parsed;
  if (event.contains("error")) return classifyGoogleError(0, data, {});
  if (finished_) return {};

  State& s = *state_;
  s.begin(event, sink);
  if (const auto* meta = objectField(event, "usageMetadata")) {
    readGeminiUsage(*meta, s.usage);
    sink.onEvent(StreamEvent::usageIs(s.usage));
  }
  using Kind = StreamEvent::Kind;
  bool sawFinish = false;
  if (const auto* candidates = arrayField(event, "candidates")) {
    for (size_t i = 0; i < candidates->size(); ++i) {
      const auto* cand = (*candidates)[i].if_object();
      if (!cand) return badUpstream("The upstream sent a candidate that is not an object.");
      const auto* idx = cand->if_contains("index");
      const size_t slot =
          idx && idx->is_int64() && idx->get_int64() >= 0 ? size_t(idx->get_int64()) : i;
      if (slot >= kMaxCandidates) return badUpstream("The upstream sent too many candidates.");
      const auto index = static_cast<int32_t>(slot);
      if (s.candidates.size() <= slot) s.candidates.resize(slot + 1);
      auto& c = s.candidates[slot];
      if (c.finished) continue;
      c.started = true;
      const auto* content = objectField(*cand, "content");
      const auto* parts = content ? arrayField(*content, "parts") : nullptr;
      for (size_t p = 0; parts && p < parts->size(); ++p) {
        const auto* part = (*parts)[p].if_object();
        if (!part) continue;
        if (const auto* call = objectField(*part, "functionCall")) {
          s.onFunctionCall(sink, index, c, *call, stringField(*part, "thoughtSignature"));
          continue;
        }
        const auto text = stringField(*part, "text");
        if (text.empty()) continue;
        sink.onEvent(StreamEvent::delta(
            boolField(*part, "thought") ? Kind::kReasoning : Kind::kText, text, index));
      }
      if (const auto reason = stringField(*cand, "finishReason"); !reason.empty()) {
        s.closeOpenCall(sink, index, c);
        sink.onEvent(StreamEvent::finish(geminiFinishReason(reason, c.toolCalls > 0), index));
        c.finished = true;
        sawFinish = true;
      }
    }
  }
  if (s.candidates.empty()) {
    const auto* feedback = objectField(event, "promptFeedback");
    if (feedback && !stringField(*feedback, "blockReason").empty()) {
      s.candidates.resize(1);
      s.candidates[0].started = true;
      s.candidates[0].finished = true;
      sink.onEvent(StreamEvent::finish("content_filter"));
      sawFinish = true;
    }
  }
  if (!sawFinish) return {};
  for (const auto& c : s.candidates) {
    if (c.started && !c.finished) return {};
  }
  finished_ = true;
  sink.onEvent(StreamEvent::end());
  return {};
}

}  // namespace switchyard
