// Fault injection: the knobs in effect for one request (the server's options, then what POST
// /mock/faults set, then the x-mock-* headers, then the body's "mock" object), the random errors
// and stalls the options ask for, and the faults that bend an answer once it is made.
#include "tools/mock-provider/anthropic_responder.hpp"
#include "tools/mock-provider/mock_connection.hpp"

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <optional>
#include <random>

namespace switchyard::mock {
namespace json = boost::json;

namespace {

// The provider's own answer to a prompt longer than the model's window (OpenAI's
// context_length_exceeded, Anthropic's "prompt is too long"), by a token per 4 bytes of the
// messages' JSON.
std::optional<Reply> contextLengthReply(const json::object& body, int window, bool anthropic) {
  const auto* messages = body.if_contains("messages");
  if (!messages) return std::nullopt;
  int64_t tokens = static_cast<int64_t>(json::serialize(*messages).size() / 4);
  if (const auto* system = body.if_contains("system")) {
    tokens += static_cast<int64_t>(json::serialize(*system).size() / 4);
  }
  if (tokens <= window) return std::nullopt;
  const std::string n = std::to_string(window);
  const std::string m = std::to_string(tokens);
  if (anthropic) {
    return anthropicErrorReply(400, "prompt is too long: " + m + " tokens > " + n + " maximum",
                               "invalid_request_error");
  }
  return errorReply(400,
                    "This model's maximum context length is " + n +
                        " tokens. However, your messages resulted in " + m +
                        " tokens. Please reduce the length of the messages.",
                    "invalid_request_error", "messages", "context_length_exceeded");
}

}  // namespace

bool MockServer::injectFaults(const Request& request, const json::value& body, bool anthropic,
                              Action& action) {
  RequestKnobs& knobs = action.knobs;
  knobs = defaultKnobs(options_);
  const json::object faults = stats_->faults();
  applyBodyKnobs(faults, knobs);
  double errorRate = options_.errorRate;
  int errorStatus = options_.errorStatus;
  if (const auto* v = faults.if_contains("error_rate"); v && v->is_number()) {
    errorRate = v->to_number<double>();
  }
  if (const auto* v = faults.if_contains("error_status"); v && v->is_int64()) {
    errorStatus = int(v->get_int64());
  }
  applyHeaderKnobs(request.message, knobs);
  if (body.is_object()) {
    if (const auto* mock = body.get_object().if_contains("mock"); mock && mock->is_object()) {
      applyBodyKnobs(mock->get_object(), knobs);
    }
  }
  if (knobs.status == 200 && errorRate > 0 &&
      std::uniform_real_distribution<double>(0, 1)(rng_) < errorRate) {
    knobs.status = errorStatus;
  }
  action.delayMs = knobs.latencyMs;
  if (options_.stallRate > 0 &&
      std::uniform_real_distribution<double>(0, 1)(rng_) < options_.stallRate) {
    action.delayMs += options_.stallMs;
    ++stats_->stalledRequests;
  }
  if (knobs.status == 200 && knobs.contextWindow > 0 && body.is_object()) {
    if (auto reply = contextLengthReply(body.get_object(), knobs.contextWindow, anthropic)) {
      action.reply = std::move(*reply);
      return true;
    }
  }
  if (knobs.status == 200) return false;
  action.reply = anthropic ? anthropicStatusReply(unsigned(knobs.status), knobs.retryAfterSeconds)
                           : statusReply(unsigned(knobs.status), knobs.retryAfterSeconds);
  return true;
}

void MockServer::applyAnswerFaults(Answer answer, bool generates, Action& action) {
  const RequestKnobs& knobs = action.knobs;
  if (answer.stream) {
    action.kind = Action::kStream;
    action.plan = std::move(answer.plan);
    if (knobs.garbage) {
      action.plan.content.clear();
      action.plan.tail.clear();
      appendEvent(action.plan.tail, "{\"id\": mock garbage, this is not JSON");
      appendEvent(action.plan.tail, "[DONE]");
    }
    return;
  }
  if (generates && answer.reply.status == 200 && knobs.disconnectAfterChunks >= 0) {
    // A whole answer has no chunks to cut between: drop the connection without answering.
    action.kind = Action::kClose;
    return;
  }
  action.reply = std::move(answer.reply);
  if (knobs.garbage && action.reply.status == 200) {
    action.reply.body = "mock garbage: this is not JSON {";
  }
}

}  // namespace switchyard::mock
