#include "tools/mock-provider/sagemaker_responder.hpp"

#include "tools/mock-provider/bedrock_responder.hpp"
#include "tools/mock-provider/chat_responder.hpp"
#include "tools/mock-provider/embeddings.hpp"

#include <boost/json/serialize.hpp>

namespace switchyard::mock {
namespace json = boost::json;

namespace {

const json::object* obj(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v != nullptr ? v->if_object() : nullptr;
}

Reply awsError(unsigned status, std::string_view message) {
  return Reply{status, R"({"message":)" + jsonQuote(message) + "}", 0};
}

// A container's own 4xx reaches the caller as SageMaker's ModelError (HTTP 424).
Reply modelError(unsigned containerStatus, std::string_view containerMessage) {
  const std::string original =
      R"({"error":)" + jsonQuote(containerMessage) + R"(,"error_type":"validation"})";
  json::object out{{"ErrorCode", "CLIENT_ERROR_FROM_MODEL"},
                   {"LogStreamArn",
                    "arn:aws:logs:us-west-2:123456789012:log-group:/aws/sagemaker/"
                    "Endpoints/mock"},
                   {"Message", "Received client error (" + std::to_string(containerStatus) +
                                   ") from primary with message \"" + original +
                                   "\". See the log stream for more information."},
                   {"OriginalMessage", original},
                   {"OriginalStatusCode", containerStatus}};
  return Reply{424, json::serialize(out), 0};
}

std::string payloadPart(std::string_view bytes) {
  return eventStreamFrame({{":event-type", "PayloadPart"},
                           {":content-type", "application/octet-stream"},
                           {":message-type", "event"}},
                          bytes);
}

// The container's stream in PayloadParts; each piece is cut in two parts so that no part is a
// whole line, as SageMaker forwards whatever the container flushed.
std::string payloadParts(std::string_view bytes) {
  if (bytes.empty()) return {};
  const size_t cut = bytes.size() / 2;
  return payloadPart(bytes.substr(0, cut)) + payloadPart(bytes.substr(cut));
}

void wrapPlan(StreamPlan& plan) {
  plan.head = payloadParts(plan.head);
  for (auto& c : plan.content) c = payloadParts(c);
  plan.tail = payloadParts(plan.tail);
  plan.contentType = "application/vnd.amazon.eventstream";
}

// A Hugging Face embedding container (TEI): {"inputs": [texts]} → a bare list of vectors.
Answer embed(const json::array& inputs) {
  Answer answer;
  json::array vectors;
  for (const auto& input : inputs) {
    if (!input.is_string()) {
      answer.reply = modelError(422, "Failed to deserialize the JSON body: inputs must be strings");
      return answer;
    }
    json::array vector;
    for (float x : embeddingFor(input.get_string(), 8)) vector.emplace_back(x);
    vectors.emplace_back(std::move(vector));
  }
  answer.reply.body = json::serialize(vectors);
  return answer;
}

Answer generate(bool stream, const json::object& body, const AnswerContext& ctx) {
  Answer answer;
  const auto* inputs = body.if_contains("inputs");
  if (inputs == nullptr || !inputs->is_string()) {
    answer.reply = modelError(422, "Failed to deserialize the JSON body: missing field `inputs`");
    return answer;
  }
  const json::object noParameters;
  const auto* given = obj(body, "parameters");
  const json::object& parameters = given ? *given : noParameters;
  int64_t limit = 20;  // TGI's default max_new_tokens
  if (const auto* m = parameters.if_contains("max_new_tokens"); m && m->is_int64()) {
    if (m->get_int64() <= 0) {
      answer.reply =
          modelError(422, "Input validation error: `max_new_tokens` must be strictly positive");
      return answer;
    }
    limit = m->get_int64();
  }
  if (const auto* t = parameters.if_contains("temperature");
      t && t->is_number() && t->to_number<double>() <= 0) {
    answer.reply =
        modelError(422, "Input validation error: `temperature` must be strictly positive");
    return answer;
  }
  const auto* details = parameters.if_contains("details");
  const bool withDetails = details && details->is_bool() && details->get_bool();
  bool truncated = false;
  const auto tokens = answerTokens(ctx, limit, truncated);
  std::string text;
  for (const auto& t : tokens) text += t;
  const std::string finish = truncated ? "length" : "eos_token";
  // Only a finish by end-of-sequence generates the </s> token.
  const int64_t generated = int64_t(tokens.size()) + (truncated ? 0 : 1);
  const json::object detailsObject{
      {"finish_reason", finish}, {"generated_tokens", generated}, {"seed", nullptr}};

  if (!stream) {
    json::object out{{"generated_text", text}};
    if (withDetails) {
      json::object d = detailsObject;
      d["prefill"] = json::array();
      d["tokens"] = json::array();
      out["details"] = std::move(d);
    }
    answer.reply = Reply{200, json::serialize(json::array{std::move(out)}), 0};
    return answer;
  }
  answer.stream = true;
  StreamPlan& plan = answer.plan;
  auto tokenEvent = [&](int64_t index, std::string_view t, bool special, bool last) {
    json::object e{
        {"index", index},
        {"token",
         json::object{{"id", 1000 + index}, {"text", t}, {"logprob", -0.25}, {"special", special}}},
        {"generated_text", last ? json::value(text) : json::value(nullptr)},
        {"details", last ? json::value(detailsObject) : json::value(nullptr)}};
    return "data:" + json::serialize(e) + "\n\n";
  };
  for (size_t i = 0; i < tokens.size(); ++i) {
    const bool last = truncated && i + 1 == tokens.size();
    plan.content.push_back(tokenEvent(int64_t(i), tokens[i], false, last));
  }
  if (!truncated) plan.tail = tokenEvent(int64_t(tokens.size()), "</s>", true, true);
  wrapPlan(plan);
  return answer;
}

}  // namespace

bool parseSageMakerPath(std::string_view path, bool& stream) {
  constexpr std::string_view kPrefix = "/endpoints/";
  if (!path.starts_with(kPrefix)) return false;
  path.remove_prefix(kPrefix.size());
  const size_t slash = path.find('/');
  if (slash == std::string_view::npos || slash == 0) return false;
  const std::string_view action = path.substr(slash + 1);
  stream = action == "invocations-response-stream";
  return stream || action == "invocations";
}

Answer answerSageMaker(bool stream, const boost::beast::http::fields& headers,
                       const json::object& body, const AnswerContext& ctx) {
  if (!sigV4Signed(headers, "sagemaker")) {
    Answer denied;
    denied.reply = awsError(403,
                            "Authorization header requires 'Credential', 'Signature' and "
                            "'SignedHeaders' parameters (SigV4).");
    return denied;
  }
  if (const auto* inputs = body.if_contains("inputs"); inputs && inputs->is_array()) {
    return embed(inputs->get_array());
  }
  if (!body.contains("messages")) return generate(stream, body, ctx);
  // TGI's Messages API: OpenAI's chat, streamed as SSE inside the PayloadParts.
  Answer answer = answerChat(body, ctx);
  if (stream != answer.stream) {
    answer = Answer{};
    answer.reply =
        modelError(422, stream ? "a streamed invocation needs \"stream\": true in the body"
                               : "\"stream\": true needs the invocations-response-stream endpoint");
    return answer;
  }
  if (answer.stream) wrapPlan(answer.plan);
  return answer;
}

}  // namespace switchyard::mock
