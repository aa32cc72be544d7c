// Fault injection: the knobs in effect for one request (the server's options, then what POST
// /mock/faults set, then the x-mock-* headers, then the body's "mock" object), the random errors
// and stalls the options ask for, and the faults that bend an answer once it is made.
#include "tools/mock-provider/anthropic_responder.hpp"
#include "tools/mock-provider/mock_connection.hpp"

#include <boost/json/value.hpp>

#include <random>

namespace switchyard::mock {
namespace json = boost::json;

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
