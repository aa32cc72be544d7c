#include "server/count_tokens.hpp"

#include <boost/json.hpp>

#include "api/anthropic/messages_request.hpp"
#include "api/openai/responses_input_tokens.hpp"
#include "api/token_count.hpp"
#include "core/async.hpp"
#include "providers/adapter.hpp"
#include "routing/attempt_executor.hpp"
#include "routing/router.hpp"
#include "server/responder.hpp"
#include "server/token_counter.hpp"
#include "server/worker.hpp"
#include "telemetry/count_tokens_observation.hpp"

namespace switchyard {

namespace {

constexpr size_t kMaxAnswerBytes = 64 * 1024;

// The deployment that would serve the body's model, and its count request, when that
// provider counts tokens itself.
struct Counter {
  std::shared_ptr<const Deployment> deployment;
  UpstreamRequest request;
};

// The body's "model", empty when it has none (the counting functions then answer the 400).
std::string modelOf(std::string_view body) {
  boost::system::error_code ec;
  const boost::json::value parsed = boost::json::parse(body, ec);
  const auto* obj = parsed.if_object();
  const auto* model = obj ? obj->if_contains("model") : nullptr;
  return model && model->is_string() ? std::string(model->get_string()) : std::string();
}

std::optional<Counter> upstreamCounter(Worker& worker,
                                       const std::shared_ptr<const Snapshot>& snapshot,
                                       const std::string& model, std::string_view body) {
  if (model.empty()) return std::nullopt;
  auto candidates =
      selectDeployments(snapshot, model, worker.rng(), std::chrono::steady_clock::now());
  if (!candidates || candidates->count == 0) return std::nullopt;
  auto deployment =
      candidates->wildcard ? candidates->wildcard : snapshot->deployments[candidates->order[0]];
  auto request = adapterFor(deployment->format).buildCountTokensRequest(body, *deployment);
  if (!request) return std::nullopt;
  return Counter{std::move(deployment), std::move(*request)};
}

Task<void> answer(Worker& worker, const std::shared_ptr<const Snapshot>& snapshot,
                  const HttpRequest& request, Responder& responder,
                  CountTokensObservation& observation, const std::optional<Error>& refusal) {
  if (refusal) {
    observation.failed(*refusal);
    co_await responder.sendError(*refusal, InboundFormat::kAnthropic);
    co_return;
  }
  const std::string model = modelOf(request.body());
  if (auto counter = upstreamCounter(worker, snapshot, model, request.body())) {
    observation.countedUpstream(*counter->deployment);
    auto answer = co_await callUpstream(worker.pool(), *counter->deployment,
                                        std::move(counter->request), {}, kMaxAnswerBytes);
    if (answer) {
      co_await responder.send(200, std::move(*answer));
      co_return;
    }
    const Error e = answer.error();
    observation.failed(e);
    co_await responder.sendError(e, InboundFormat::kAnthropic);
    co_return;
  }
  // Counted here: exactly with the tokenizer of an OpenAI-family backend, else estimated.
  TokenTally tally(modelTokenizer(*snapshot, model).encoding);
  observation.countedHere(tally.kind());
  auto counted = countMessagesTokens(request.body(), tally);
  if (!counted) {
    const Error e = counted.error();
    observation.failed(e);
    co_await responder.sendError(e, InboundFormat::kAnthropic);
    co_return;
  }
  responder.addHeader("x-switchyard-token-count", tally.kind());
  co_await responder.send(200, std::move(*counted));
}

Task<void> sendCount(Responder& responder, std::string body) {
  co_await responder.send(200, std::move(body));
}

Task<void> refuseCount(Responder& responder, Error error) {
  co_await responder.sendError(error, InboundFormat::kResponses);
}

}  // namespace

Task<void> responsesInputTokens(const Snapshot& snapshot, const HttpRequest& request,
                                Responder& responder) {
  TokenTally tally(modelTokenizer(snapshot, modelOf(request.body())).encoding);
  auto counted = countResponsesInputTokens(request.body(), tally);
  if (!counted) return refuseCount(responder, counted.error());
  responder.addHeader("x-switchyard-token-count", tally.kind());
  return sendCount(responder, std::move(*counted));
}

Task<void> countTokens(Worker& worker, const std::shared_ptr<const Snapshot>& snapshot,
                       const HttpRequest& request, Responder& responder, std::string requestId,
                       std::optional<Error> refusal) {
  // Recorded when this frame ends, also when the client leaves first (status 0).
  CountTokensObservation observation(worker.metrics(), *snapshot, requestId);
  co_await answer(worker, snapshot, request, responder, observation, refusal);
  observation.answered(responder.status());
}

}  // namespace switchyard
