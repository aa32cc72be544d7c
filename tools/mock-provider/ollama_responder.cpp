#include "tools/mock-provider/ollama_responder.hpp"

#include "tools/mock-provider/chat_responder.hpp"
#include "tools/mock-provider/embeddings.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <ctime>

namespace switchyard::mock {
namespace json = boost::json;

namespace {

constexpr size_t kEmbeddingDimensions = 16;
constexpr std::string_view kThinking = "The user wants a short answer.";

std::string_view str(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string_view(v->get_string()) : std::string_view();
}

Reply ollamaError(unsigned status, std::string_view message) {
  return Reply{status, R"({"error":)" + jsonQuote(message) + "}", 0};
}

// RFC 3339 with nanoseconds, as Ollama writes created_at.
std::string createdAt(int64_t unixSeconds) {
  const std::time_t t = static_cast<std::time_t>(unixSeconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S.000000000Z", &tm);
  return buf;
}

void appendLine(std::string& out, const json::object& line) {
  out += json::serialize(line);
  out.push_back('\n');
}

// The tool to call: tool_choice has no Ollama form, so the first offered tool, unless the last
// turn is a tool result (which gets a text answer).
std::optional<ToolCall> chosenTool(const json::object& body, const json::array& messages) {
  if (const auto* last = messages.back().if_object(); last && str(*last, "role") == "tool") {
    return std::nullopt;
  }
  return chooseToolCall(body);
}

}  // namespace

Answer answerOllamaChat(const json::object& body, const AnswerContext& ctx) {
  Answer answer;
  const std::string model(str(body, "model"));
  if (model.empty()) {
    answer.reply = ollamaError(400, "model is required");
    return answer;
  }
  const auto* messagesValue = body.if_contains("messages");
  const auto* messages = messagesValue ? messagesValue->if_array() : nullptr;
  if (messages == nullptr || messages->empty()) {
    answer.reply = ollamaError(400, "messages is required");
    return answer;
  }
  size_t chars = 0;
  for (const auto& m : *messages) {
    const auto* o = m.if_object();
    if (o == nullptr) {
      answer.reply = ollamaError(400, "invalid message format");
      return answer;
    }
    // Ollama's content is a string; images travel beside it as base64.
    if (const auto* c = o->if_contains("content"); c && !c->is_string()) {
      answer.reply = ollamaError(
          400,
          "json: cannot unmarshal array into Go struct field Message.messages.content of "
          "type string");
      return answer;
    }
    chars += str(*o, "content").size();
  }
  const auto* optionsValue = body.if_contains("options");
  const auto* options = optionsValue ? optionsValue->if_object() : nullptr;
  int64_t limit = -1;
  if (options) {
    if (const auto* n = options->if_contains("num_predict"); n && n->is_int64()) {
      limit = n->get_int64();
    }
  }
  const auto* think = body.if_contains("think");
  const bool thinks = think && ((think->is_bool() && think->get_bool()) || think->is_string());
  const auto tool = chosenTool(body, *messages);
  bool truncated = false;
  std::vector<std::string> tokens;
  if (const auto* format = body.if_contains("format"); !tool && format && !format->is_null()) {
    // A structured answer: one that fits the schema, or a JSON object for "json".
    const json::value value = format->is_object() ? valueForSchema(*format)
                                                  : json::value(json::object{{"answer", "mock"}});
    tokens.push_back(json::serialize(value));
  } else if (!tool) {
    tokens = answerTokens(ctx, limit, truncated);
  }
  const int64_t prompt = approxTokens(chars);
  const int64_t output = tool ? approxTokens(tool->arguments.size()) : int64_t(tokens.size());
  const std::string doneReason = truncated ? "length" : "stop";
  const std::string created = createdAt(ctx.created);
  json::object final{{"model", model},
                     {"created_at", created},
                     {"message", json::object{{"role", "assistant"}, {"content", ""}}},
                     {"done", true},
                     {"done_reason", doneReason},
                     {"total_duration", 123456789},
                     {"load_duration", 1234567}};
  if (!ctx.omitUsage) {
    final["prompt_eval_count"] = prompt;
    final["prompt_eval_duration"] = 2345678;
    final["eval_count"] = output;
    final["eval_duration"] = 3456789;
  }
  json::array calls;
  if (tool) {
    boost::system::error_code ec;
    json::value args = json::parse(tool->arguments, ec);
    calls.emplace_back(json::object{
        {"function", json::object{{"name", tool->name}, {"arguments", std::move(args)}}}});
  }

  const auto* stream = body.if_contains("stream");
  answer.stream = stream == nullptr || !stream->is_bool() || stream->get_bool();
  if (!answer.stream) {
    std::string text;
    for (const auto& t : tokens) text += t;
    json::object message{{"role", "assistant"}, {"content", text}};
    if (thinks) message["thinking"] = kThinking;
    if (tool) message["tool_calls"] = calls;
    final["message"] = std::move(message);
    answer.reply = Reply{200, json::serialize(final), 0};
    return answer;
  }
  StreamPlan& plan = answer.plan;
  plan.contentType = "application/x-ndjson";
  auto piece = [&](json::object message) {
    return json::object{{"model", model},
                        {"created_at", created},
                        {"message", std::move(message)},
                        {"done", false}};
  };
  if (thinks) {
    appendLine(plan.head, piece(json::object{
                              {"role", "assistant"}, {"content", ""}, {"thinking", kThinking}}));
  }
  if (tool) {
    // Ollama streams a tool call whole, in one line.
    std::string line;
    appendLine(line,
               piece(json::object{
                   {"role", "assistant"}, {"content", ""}, {"tool_calls", std::move(calls)}}));
    plan.content.push_back(std::move(line));
  }
  for (const auto& t : tokens) {
    std::string line;
    appendLine(line, piece(json::object{{"role", "assistant"}, {"content", t}}));
    plan.content.push_back(std::move(line));
  }
  appendLine(plan.tail, final);
  return answer;
}

Reply answerOllamaEmbed(const json::object& body) {
  if (str(body, "model").empty()) return ollamaError(400, "model is required");
  const auto* input = body.if_contains("input");
  std::vector<std::string_view> texts;
  if (input && input->is_string()) {
    texts.push_back(input->get_string());
  } else if (input && input->is_array()) {
    for (const auto& v : input->get_array()) {
      if (!v.is_string()) return ollamaError(400, "invalid input type");
      texts.push_back(v.get_string());
    }
  }
  if (texts.empty()) return ollamaError(400, "input is required");
  size_t dims = kEmbeddingDimensions;
  if (const auto* d = body.if_contains("dimensions");
      d && d->is_int64() && d->get_int64() > 0 && d->get_int64() <= 1024) {
    dims = size_t(d->get_int64());
  }
  json::array embeddings;
  size_t chars = 0;
  for (auto text : texts) {
    chars += text.size();
    json::array values;
    for (float x : embeddingFor(text, dims)) values.emplace_back(double(x));
    embeddings.emplace_back(std::move(values));
  }
  json::object out{{"model", str(body, "model")},
                   {"embeddings", std::move(embeddings)},
                   {"total_duration", 14143917},
                   {"load_duration", 1019500},
                   {"prompt_eval_count", approxTokens(chars)}};
  return Reply{200, json::serialize(out), 0};
}

}  // namespace switchyard::mock
