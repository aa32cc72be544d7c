#include "tools/mock-provider/completion_responder.hpp"

#include <boost/json/serialize.hpp>

namespace switchyard::mock {
namespace json = boost::json;

namespace {

// `prompt` is a string, an array of strings, or token arrays; one token per array element.
size_t promptChars(const json::value& prompt) {
  if (prompt.is_string()) return prompt.get_string().size();
  size_t chars = 0;
  if (const auto* arr = prompt.if_array()) {
    for (const auto& each : *arr) {
      if (each.is_string()) {
        chars += each.get_string().size();
      } else if (each.is_array()) {
        chars += each.get_array().size() * 4;
      } else {
        chars += 4;
      }
    }
  }
  return chars;
}

}  // namespace

Answer answerCompletion(const json::object& body, const AnswerContext& ctx) {
  Answer answer;
  const auto* modelValue = body.if_contains("model");
  std::string model = modelValue && modelValue->is_string() ? std::string(modelValue->get_string())
                                                            : ctx.modelOverride;
  if (model.empty()) {
    answer.reply = missingParamReply("model");
    return answer;
  }
  const auto* prompt = body.if_contains("prompt");
  if (prompt == nullptr || !(prompt->is_string() || prompt->is_array())) {
    answer.reply = missingParamReply("prompt");
    return answer;
  }
  const int64_t promptTokens = approxTokens(promptChars(*prompt));
  bool truncated = false;
  const auto tokens = answerTokens(ctx, maxTokensOf(body), truncated);
  const std::string finishReason = truncated ? "length" : "stop";
  const int64_t completion = int64_t(tokens.size());
  const json::object usage{{"prompt_tokens", promptTokens},
                           {"completion_tokens", completion},
                           {"total_tokens", promptTokens + completion}};
  const std::string id = "cmpl-" + ctx.id;

  const auto* stream = body.if_contains("stream");
  answer.stream = stream != nullptr && stream->is_bool() && stream->get_bool();
  if (!answer.stream) {
    std::string text;
    for (const auto& t : tokens) text.append(t);
    json::object out{{"id", id},
                     {"object", "text_completion"},
                     {"created", ctx.created},
                     {"model", model},
                     {"choices", json::array{json::object{{"text", std::move(text)},
                                                          {"index", 0},
                                                          {"logprobs", nullptr},
                                                          {"finish_reason", finishReason}}}},
                     {"usage", usage}};
    answer.reply.body = json::serialize(out);
    return answer;
  }

  // The legacy stream puts "choices" before "model" and finish_reason on the last text chunk.
  const bool includeUsage = streamOption(body, "include_usage");
  const std::string head = R"({"id":")" + id + R"(","object":"text_completion","created":)" +
                           std::to_string(ctx.created);
  const std::string quotedModel = jsonQuote(model);
  auto chunk = [&](std::string_view text, bool last) {
    std::string payload = head;
    payload.append(R"(,"choices":[{"text":)");
    payload.append(jsonQuote(text));
    payload.append(R"(,"index":0,"logprobs":null,"finish_reason":)");
    payload.append(last ? jsonQuote(finishReason) : std::string("null"));
    payload.append(R"(}],"model":)");
    payload.append(quotedModel);
    if (includeUsage) payload.append(R"(,"usage":null)");
    payload.push_back('}');
    std::string event;
    appendEvent(event, payload);
    return event;
  };
  StreamPlan& plan = answer.plan;
  for (size_t i = 0; i < tokens.size(); ++i) {
    plan.content.push_back(chunk(tokens[i], i + 1 == tokens.size()));
  }
  if (tokens.empty()) plan.tail = chunk("", true);
  if (includeUsage && !ctx.omitUsage) {
    appendEvent(plan.tail, head + R"(,"model":)" + quotedModel + R"(,"usage":)" +
                               json::serialize(usage) + R"(,"choices":[]})");
  }
  appendEvent(plan.tail, "[DONE]");
  return answer;
}

}  // namespace switchyard::mock
