#include "tools/mock-provider/gemini_responder.hpp"

#include "tools/mock-provider/chat_responder.hpp"
#include "tools/mock-provider/embeddings.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <optional>

namespace switchyard::mock {
namespace json = boost::json;

namespace {

constexpr size_t kDefaultDimensions = 768;
constexpr size_t kMaxDimensions = 8192;
constexpr int64_t kThoughtTokens = 12;

struct Target {
  std::string model;
  std::string method;
  bool sse = false;
};

std::optional<Target> parseTarget(std::string_view target) {
  const size_t q = target.find('?');
  std::string_view path = target.substr(0, q);
  const size_t models = path.rfind("/models/");
  if (models == std::string_view::npos) return std::nullopt;
  std::string_view rest = path.substr(models + 8);
  const size_t colon = rest.rfind(':');
  if (colon == std::string_view::npos || colon == 0 || rest.find('/') != std::string_view::npos) {
    return std::nullopt;
  }
  Target t{std::string(rest.substr(0, colon)), std::string(rest.substr(colon + 1)), false};
  if (q != std::string_view::npos) {
    std::string_view query = target.substr(q + 1);
    t.sse = query == "alt=sse" || query.starts_with("alt=sse&") ||
            query.find("&alt=sse") != std::string_view::npos;
  }
  return t;
}

std::string_view str(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string_view(v->get_string()) : std::string_view();
}

const json::object* obj(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v ? v->if_object() : nullptr;
}

const json::array* arr(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v ? v->if_array() : nullptr;
}

// Google's error body.
Reply googleError(unsigned status, std::string_view googleStatus, std::string_view message) {
  json::object err{{"code", status}, {"message", message}, {"status", googleStatus}};
  return Reply{status, json::serialize(json::object{{"error", std::move(err)}}), 0};
}

size_t textChars(const json::object& body) {
  size_t chars = 0;
  auto countParts = [&](const json::object& content) {
    if (const auto* parts = arr(content, "parts")) {
      for (const auto& p : *parts) {
        if (const auto* part = p.if_object()) chars += str(*part, "text").size();
      }
    }
  };
  if (const auto* contents = arr(body, "contents")) {
    for (const auto& c : *contents) {
      if (const auto* content = c.if_object()) countParts(*content);
    }
  }
  if (const auto* system = obj(body, "systemInstruction")) countParts(*system);
  return chars;
}

// The function the model "calls": the one allowed by toolConfig, else the first declared; none
// when there are no declarations or the mode is NONE.
std::optional<ToolCall> chooseFunction(const json::object& body) {
  const json::object* chosen = nullptr;
  std::string_view allowed;
  if (const auto* config = obj(body, "toolConfig")) {
    if (const auto* fc = obj(*config, "functionCallingConfig")) {
      if (str(*fc, "mode") == "NONE") return std::nullopt;
      if (const auto* names = arr(*fc, "allowedFunctionNames"); names && !names->empty()) {
        if ((*names)[0].is_string()) allowed = (*names)[0].get_string();
      }
    }
  }
  if (const auto* tools = arr(body, "tools")) {
    for (const auto& t : *tools) {
      const auto* tool = t.if_object();
      const auto* decls = tool ? arr(*tool, "functionDeclarations") : nullptr;
      for (size_t i = 0; decls && i < decls->size(); ++i) {
        const auto* decl = (*decls)[i].if_object();
        if (!decl) continue;
        if (!chosen && allowed.empty()) chosen = decl;
        if (!allowed.empty() && str(*decl, "name") == allowed) chosen = decl;
      }
    }
  }
  if (!chosen) return std::nullopt;
  ToolCall call;
  call.name = std::string(str(*chosen, "name"));
  const auto* params = chosen->if_contains("parameters");
  json::value args = params ? valueForSchema(*params) : json::value(json::object());
  if (!args.is_object()) args = json::object();
  call.arguments = json::serialize(args);
  return call;
}

json::object usageMetadata(int64_t prompt, int64_t candidates, int64_t thoughts) {
  json::object u{{"promptTokenCount", prompt},
                 {"candidatesTokenCount", candidates},
                 {"totalTokenCount", prompt + candidates + thoughts},
                 {"promptTokensDetails",
                  json::array{json::object{{"modality", "TEXT"}, {"tokenCount", prompt}}}}};
  if (thoughts > 0) u["thoughtsTokenCount"] = thoughts;
  return u;
}

json::object response(const AnswerContext& ctx, const std::string& model, json::array parts,
                      std::string_view finishReason, json::object usage) {
  json::object candidate{{"content", json::object{{"parts", std::move(parts)}, {"role", "model"}}}};
  if (!finishReason.empty()) candidate["finishReason"] = finishReason;
  candidate["index"] = 0;
  return json::object{{"candidates", json::array{std::move(candidate)}},
                      {"usageMetadata", std::move(usage)},
                      {"modelVersion", model},
                      {"responseId", ctx.id}};
}

// Gemini 3 signs its function calls and refuses a history whose model turn holds a function
// call without the signature (on the first call of the turn, as it signs them).
bool signsFunctionCalls(const Target& t) { return t.model.find("gemini-3") != std::string::npos; }

std::optional<size_t> unsignedCallTurn(const json::array& contents) {
  for (size_t i = 0; i < contents.size(); ++i) {
    const auto* content = contents[i].if_object();
    if (!content || str(*content, "role") != "model") continue;
    const auto* parts = arr(*content, "parts");
    for (size_t p = 0; parts && p < parts->size(); ++p) {
      const auto* part = (*parts)[p].if_object();
      if (!part || !obj(*part, "functionCall")) continue;
      if (str(*part, "thoughtSignature").empty()) return i;
      break;  // only the first call of a turn is signed
    }
  }
  return std::nullopt;
}

Answer generate(const Target& t, const json::object& body, const AnswerContext& ctx, bool stream) {
  Answer answer;
  const auto* contents = arr(body, "contents");
  if (!contents || contents->empty()) {
    answer.reply = googleError(400, "INVALID_ARGUMENT",
                               "* GenerateContentRequest.contents: contents is not specified\n");
    return answer;
  }
  if (const auto turn = signsFunctionCalls(t) ? unsignedCallTurn(*contents) : std::nullopt) {
    answer.reply = googleError(
        400, "INVALID_ARGUMENT",
        "Function call is missing a thought_signature in functionCall parts. This is required "
        "for tools to work correctly, and missing thought_signature may lead to degraded model "
        "performance. Additional data, function call position " +
            std::to_string(*turn) +
            ". Please refer to https://ai.google.dev/gemini-api/docs/thought-signatures for more "
            "details.");
    return answer;
  }
  const json::object* generation = obj(body, "generationConfig");
  int64_t limit = -1;
  bool thinking = false;
  if (generation) {
    if (const auto* m = generation->if_contains("maxOutputTokens"); m && m->is_int64()) {
      limit = m->get_int64();
    }
    if (const auto* tc = obj(*generation, "thinkingConfig")) {
      const auto* include = tc->if_contains("includeThoughts");
      thinking = include && include->is_bool() && include->get_bool();
    }
  }
  const int64_t prompt = approxTokens(textChars(body));
  const int64_t thoughts = thinking ? kThoughtTokens : 0;
  auto call = chooseFunction(body);
  bool truncated = false;
  std::vector<std::string> pieces =
      call ? std::vector<std::string>{} : answerTokens(ctx, limit, truncated);
  const int64_t completion = call ? approxTokens(call->arguments.size()) : int64_t(pieces.size());
  const std::string finish = truncated ? "MAX_TOKENS" : "STOP";
  json::object thought{{"text", "The user wants an answer; I will give one."}, {"thought", true}};
  json::object callPart;
  if (call) {
    json::value args = json::parse(call->arguments);
    callPart = json::object{
        {"functionCall", json::object{{"name", call->name}, {"args", std::move(args)}}}};
    if (signsFunctionCalls(t)) callPart["thoughtSignature"] = "mock-signature-" + ctx.id;
  }

  answer.stream = stream;
  if (!stream) {
    json::array parts;
    if (thinking) parts.push_back(thought);
    if (call) {
      parts.push_back(std::move(callPart));
    } else {
      std::string text;
      for (const auto& p : pieces) text += p;
      parts.push_back(json::object{{"text", text}});
    }
    answer.reply.body = json::serialize(response(ctx, t.model, std::move(parts), finish,
                                                 usageMetadata(prompt, completion, thoughts)));
    return answer;
  }
  // Like Google: usageMetadata on every event, finishReason on the last; no [DONE].
  StreamPlan& plan = answer.plan;
  int64_t sent = 0;
  if (thinking) {
    appendEvent(plan.head, json::serialize(response(ctx, t.model, json::array{thought}, {},
                                                    usageMetadata(prompt, 0, thoughts))));
  }
  if (call) {
    std::string event;
    appendEvent(event, json::serialize(response(ctx, t.model, json::array{callPart}, {},
                                                usageMetadata(prompt, completion, thoughts))));
    plan.content.push_back(std::move(event));
    sent = completion;
  }
  for (const auto& piece : pieces) {
    ++sent;
    std::string event;
    appendEvent(event,
                json::serialize(response(ctx, t.model, json::array{json::object{{"text", piece}}},
                                         {}, usageMetadata(prompt, sent, thoughts))));
    plan.content.push_back(std::move(event));
  }
  appendEvent(plan.tail,
              json::serialize(response(ctx, t.model, json::array{json::object{{"text", ""}}},
                                       finish, usageMetadata(prompt, completion, thoughts))));
  return answer;
}

size_t outputDimensionality(const json::object& o) {
  const auto* d = o.if_contains("outputDimensionality");
  if (d && d->is_int64() && d->get_int64() > 0 && size_t(d->get_int64()) <= kMaxDimensions) {
    return size_t(d->get_int64());
  }
  return kDefaultDimensions;
}

json::array values(std::string_view text, size_t dims) {
  json::array out;
  for (float f : embeddingFor(text, dims)) out.push_back(double(f));
  return out;
}

std::string_view contentText(const json::object& request) {
  const auto* content = obj(request, "content");
  const auto* parts = content ? arr(*content, "parts") : nullptr;
  if (!parts || parts->empty() || !(*parts)[0].is_object()) return {};
  return str((*parts)[0].get_object(), "text");
}

Reply embed(const Target& t, const json::object& body) {
  if (t.method == "embedContent") {
    json::object out{{"embedding", json::object{{"values", values(contentText(body),
                                                                  outputDimensionality(body))}}}};
    return Reply{200, json::serialize(out), 0};
  }
  if (t.method == "batchEmbedContents") {
    const auto* requests = arr(body, "requests");
    if (!requests || requests->empty()) {
      return googleError(400, "INVALID_ARGUMENT",
                         "* BatchEmbedContentsRequest.requests: "
                         "requests is not specified\n");
    }
    json::array embeddings;
    for (const auto& r : *requests) {
      const auto* req = r.if_object();
      if (!req) continue;
      embeddings.push_back(
          json::object{{"values", values(contentText(*req), outputDimensionality(*req))}});
    }
    return Reply{200, json::serialize(json::object{{"embeddings", std::move(embeddings)}}), 0};
  }
  // Vertex :predict.
  const auto* instances = arr(body, "instances");
  if (!instances || instances->empty()) {
    return googleError(400, "INVALID_ARGUMENT", "instances must not be empty");
  }
  const auto* params = obj(body, "parameters");
  const size_t dims = params ? outputDimensionality(*params) : kDefaultDimensions;
  json::array predictions;
  int64_t chars = 0;
  for (const auto& i : *instances) {
    const auto* inst = i.if_object();
    std::string_view text = inst ? str(*inst, "content") : std::string_view();
    chars += int64_t(text.size());
    predictions.push_back(json::object{
        {"embeddings",
         json::object{{"statistics", json::object{{"token_count", approxTokens(text.size())},
                                                  {"truncated", false}}},
                      {"values", values(text, dims)}}}});
  }
  json::object out{{"predictions", std::move(predictions)},
                   {"metadata", json::object{{"billableCharacterCount", chars}}}};
  return Reply{200, json::serialize(out), 0};
}

}  // namespace

bool isGooglePath(std::string_view path) {
  auto t = parseTarget(path);
  if (!t) return false;
  return t->method == "generateContent" || t->method == "streamGenerateContent" ||
         t->method == "embedContent" || t->method == "batchEmbedContents" || t->method == "predict";
}

Answer answerGoogle(std::string_view target, const json::object& body, const AnswerContext& ctx) {
  Answer answer;
  auto t = parseTarget(target);
  if (!t) {
    answer.reply = googleError(404, "NOT_FOUND", "Unknown method.");
    return answer;
  }
  if (t->method == "generateContent") return generate(*t, body, ctx, false);
  if (t->method == "streamGenerateContent") {
    // Without alt=sse Google streams one JSON array; the mock speaks only the SSE form.
    if (!t->sse) {
      answer.reply = googleError(400, "INVALID_ARGUMENT", "The mock streams only with alt=sse.");
      return answer;
    }
    return generate(*t, body, ctx, true);
  }
  answer.reply = embed(*t, body);
  return answer;
}

namespace {

std::string percentDecode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out.push_back(' ');
    } else if (s[i] == '%' && i + 2 < s.size()) {
      const std::string hex(s.substr(i + 1, 2));
      out.push_back(static_cast<char>(std::strtol(hex.c_str(), nullptr, 16)));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

std::string formField(std::string_view body, std::string_view name) {
  while (!body.empty()) {
    const size_t amp = body.find('&');
    const std::string_view pair = body.substr(0, amp);
    if (const size_t eq = pair.find('=');
        eq != std::string_view::npos && pair.substr(0, eq) == name) {
      return percentDecode(pair.substr(eq + 1));
    }
    if (amp == std::string_view::npos) break;
    body.remove_prefix(amp + 1);
  }
  return {};
}

}  // namespace

Reply answerGoogleToken(std::string_view formBody, std::string_view accessToken) {
  const std::string assertion = formField(formBody, "assertion");
  const size_t dots = size_t(std::count(assertion.begin(), assertion.end(), '.'));
  if (formField(formBody, "grant_type") != "urn:ietf:params:oauth:grant-type:jwt-bearer" ||
      dots != 2) {
    json::object err{{"error", "invalid_grant"}, {"error_description", "Invalid JWT assertion."}};
    return Reply{400, json::serialize(err), 0};
  }
  json::object out{{"access_token", accessToken}, {"expires_in", 3599}, {"token_type", "Bearer"}};
  return Reply{200, json::serialize(out), 0};
}

}  // namespace switchyard::mock
