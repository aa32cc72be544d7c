#include "providers/conformance/decoded_answer.hpp"

#include <array>
#include <boost/json.hpp>
#include <map>
#include <utility>

#include "client/sse_parser.hpp"

namespace switchyard::conformance {
namespace {

namespace json = boost::json;

constexpr std::array<std::string_view, 5> kFinishReasons = {"stop", "length", "tool_calls",
                                                            "content_filter", "function_call"};

void problem(DecodedAnswer& a, std::string what) { a.problems.push_back(std::move(what)); }

std::optional<int64_t> integer(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (v && v->is_int64()) return v->get_int64();
  if (v && v->is_uint64()) return static_cast<int64_t>(v->get_uint64());
  return std::nullopt;
}

const json::object* member(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v ? v->if_object() : nullptr;
}

// Appends a text field that may be absent or null; anything but a string is a problem. Content
// may also be an array of parts (hosts such as Mistral send one); its text parts count.
void appendText(DecodedAnswer& a, const json::object& o, std::string_view key, std::string& to) {
  const auto* v = o.if_contains(key);
  if (!v || v->is_null()) return;
  if (v->is_string()) {
    to += v->get_string();
  } else if (v->is_array() && key == "content") {
    for (const auto& part : v->get_array()) {
      const auto* p = part.if_object();
      const auto* type = p ? p->if_contains("type") : nullptr;
      const auto* text = p ? p->if_contains("text") : nullptr;
      if (type && *type == "text" && text && text->is_string()) to += text->get_string();
    }
  } else {
    problem(a, std::string(key) + " is neither a string nor null");
  }
}

// Embeddings count no completion tokens.
void readUsage(DecodedAnswer& a, const json::value& v, bool withCompletion = true) {
  if (v.is_null()) return;
  const auto* u = v.if_object();
  if (!u) return problem(a, "usage is not an object");
  a.usage.present = true;
  const auto prompt = integer(*u, "prompt_tokens");
  const auto completion = integer(*u, "completion_tokens");
  const auto total = integer(*u, "total_tokens");
  if (!prompt || !total || (withCompletion && !completion)) {
    problem(a, "usage lacks an integer token count");
  }
  a.usage.prompt = prompt.value_or(0);
  a.usage.completion = completion.value_or(0);
  a.usage.total = total.value_or(0);
  if (const auto* d = member(*u, "prompt_tokens_details")) {
    a.usage.cached = integer(*d, "cached_tokens").value_or(0);
  }
  if (const auto* d = member(*u, "completion_tokens_details")) {
    a.usage.reasoning = integer(*d, "reasoning_tokens").value_or(0);
  }
}

void readFinish(DecodedAnswer& a, const json::object& choice) {
  const auto* f = choice.if_contains("finish_reason");
  if (!f || f->is_null()) return;
  if (!f->is_string()) return problem(a, "finish_reason is not a string");
  const std::string_view reason = f->get_string();
  if (std::find(kFinishReasons.begin(), kFinishReasons.end(), reason) == kFinishReasons.end()) {
    problem(a, "finish_reason \"" + std::string(reason) + "\" is not an OpenAI one");
  }
  a.finishReasons.emplace_back(reason);
}

// Reads the text-like fields both a message and a delta have.
void readMessage(DecodedAnswer& a, const json::object& m) {
  appendText(a, m, "content", a.text);
  appendText(a, m, "reasoning_content", a.reasoning);
  appendText(a, m, "reasoning", a.reasoning);  // Groq's name for it
  appendText(a, m, "refusal", a.refusal);
}

void summarizeChat(DecodedAnswer& a, const json::object& body) {
  const auto* choices = body.if_contains("choices");
  if (!choices || !choices->is_array() || choices->get_array().empty()) {
    return problem(a, "chat.completion without choices");
  }
  for (const auto& c : choices->get_array()) {
    const auto* choice = c.if_object();
    const auto* message = choice ? member(*choice, "message") : nullptr;
    if (!message) return problem(a, "a choice without a message");
    readMessage(a, *message);
    readFinish(a, *choice);
    const auto* calls = message->if_contains("tool_calls");
    if (!calls || calls->is_null()) continue;
    if (!calls->is_array()) return problem(a, "tool_calls is not an array");
    for (const auto& call : calls->get_array()) {
      const auto* o = call.if_object();
      const auto* fn = o ? member(*o, "function") : nullptr;
      const auto* id = o ? o->if_contains("id") : nullptr;
      const auto* name = fn ? fn->if_contains("name") : nullptr;
      const auto* args = fn ? fn->if_contains("arguments") : nullptr;
      if (!id || !id->is_string() || !name || !name->is_string() || !args || !args->is_string()) {
        return problem(a, "a tool call without a string id, name and arguments");
      }
      a.toolCalls.push_back(DecodedToolCall{std::string(id->get_string()),
                                            std::string(name->get_string()),
                                            std::string(args->get_string())});
    }
  }
}

void summarizeEmbeddings(DecodedAnswer& a, const json::object& body) {
  const auto* data = body.if_contains("data");
  if (!data || !data->is_array() || data->get_array().empty()) {
    return problem(a, "an embedding list without data");
  }
  for (const auto& item : data->get_array()) {
    const auto* e = item.if_object();
    const auto* vector = e ? e->if_contains("embedding") : nullptr;
    if (!vector || !(vector->is_array() || vector->is_string())) {
      return problem(a, "an embedding without a vector");
    }
  }
}

void summarizeCompletion(DecodedAnswer& a, const json::object& body) {
  const auto* choices = body.if_contains("choices");
  if (!choices || !choices->is_array() || choices->get_array().empty()) {
    return problem(a, "text_completion without choices");
  }
  for (const auto& c : choices->get_array()) {
    const auto* choice = c.if_object();
    if (!choice) return problem(a, "a choice that is not an object");
    appendText(a, *choice, "text", a.text);
    readFinish(a, *choice);
  }
}

// One stream chunk: a chat.completion.chunk, or a text_completion one of a legacy stream.
void readChunk(DecodedAnswer& a, const json::object& chunk,
               std::map<std::pair<int64_t, int64_t>, size_t>& callAt) {
  const auto* choices = chunk.if_contains("choices");
  if (!choices || !choices->is_array()) return problem(a, "a chunk without choices");
  if (const auto* u = chunk.if_contains("usage")) readUsage(a, *u);
  for (const auto& c : choices->get_array()) {
    const auto* choice = c.if_object();
    if (!choice) return problem(a, "a chunk choice that is not an object");
    readFinish(a, *choice);
    if (chunk.at("object") == "text_completion") {
      appendText(a, *choice, "text", a.text);
      continue;
    }
    const auto* delta = member(*choice, "delta");
    if (!delta) return problem(a, "a chunk choice without a delta");
    readMessage(a, *delta);
    const auto* calls = delta->if_contains("tool_calls");
    if (!calls || calls->is_null()) continue;
    if (!calls->is_array()) return problem(a, "delta.tool_calls is not an array");
    const int64_t choiceIndex = integer(*choice, "index").value_or(0);
    for (const auto& call : calls->get_array()) {
      const auto* o = call.if_object();
      if (!o) return problem(a, "a tool call delta that is not an object");
      const auto index = integer(*o, "index");
      if (!index) problem(a, "a tool call delta without an index");
      // Without an index a client cannot tell calls apart; each such delta is taken as a call.
      const auto key = std::make_pair(choiceIndex, index.value_or(-1 - int64_t(callAt.size())));
      auto [at, added] = callAt.try_emplace(key, a.toolCalls.size());
      if (added) a.toolCalls.emplace_back();
      auto& out = a.toolCalls[at->second];
      if (const auto* id = o->if_contains("id");
          id && id->is_string() && !id->get_string().empty()) {
        out.id = id->get_string();
      }
      if (const auto* fn = member(*o, "function")) {
        // Hosts repeat the call's name, or send it empty, in later deltas.
        if (const auto* n = fn->if_contains("name");
            n && n->is_string() && !n->get_string().empty()) {
          out.name = n->get_string();
        }
        if (const auto* args = fn->if_contains("arguments"); args && args->is_string()) {
          out.arguments += args->get_string();
        }
      }
    }
  }
}

// Azure sends its prompt content-filter results in a chunk of its own, with an empty object
// name and no choices; Azure's clients expect it, so a pass-through forwards it.
bool isAzurePromptFilterChunk(const json::object& chunk) {
  const auto* choices = chunk.if_contains("choices");
  return chunk.contains("prompt_filter_results") && choices && choices->is_array() &&
         choices->get_array().empty();
}

}  // namespace

void summarizeBody(DecodedAnswer& a) {
  boost::system::error_code ec;
  const json::value v = json::parse(a.raw, ec);
  const auto* body = ec ? nullptr : v.if_object();
  if (!body) return problem(a, "the body is not a JSON object");
  if (const auto* o = body->if_contains("object"); o && o->is_string()) a.object = o->get_string();
  if (const auto* u = body->if_contains("usage")) readUsage(a, *u, a.object != "list");
  if (a.object == "chat.completion") return summarizeChat(a, *body);
  if (a.object == "list") return summarizeEmbeddings(a, *body);
  if (a.object == "text_completion") return summarizeCompletion(a, *body);
  problem(a, "a body whose object is \"" + a.object + "\"");
}

void summarizeStream(DecodedAnswer& a) {
  std::map<std::pair<int64_t, int64_t>, size_t> callAt;
  SseParser parser;
  parser.feed(a.raw, [&](const SseEvent& e) {
    if (a.doneCount > 0) problem(a, "an event after [DONE]");
    if (e.data == "[DONE]") {
      ++a.doneCount;
      return;
    }
    boost::system::error_code ec;
    const json::value v = json::parse(e.data, ec);
    const auto* chunk = ec ? nullptr : v.if_object();
    if (!chunk) return problem(a, "a chunk that is not a JSON object: " + std::string(e.data));
    if (const auto* err = chunk->if_contains("error")) {
      a.streamError = json::serialize(*err);
      return;
    }
    const auto* object = chunk->if_contains("object");
    const bool known =
        object && (*object == "chat.completion.chunk" || *object == "text_completion");
    if (!known && !isAzurePromptFilterChunk(*chunk)) {
      return problem(a, "a chunk that is not a chat.completion.chunk: " + std::string(e.data));
    }
    readChunk(a, *chunk, callAt);
  });
  if (parser.hasPartialEvent()) problem(a, "the stream ends inside an event");
}

}  // namespace switchyard::conformance
