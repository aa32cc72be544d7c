#pragma once
// One attempt of a request on one deployment: build the upstream request, add credentials, send,
// classify the answer, and write it to the answer's sink (whole, or as a stream held back until
// its first content when a first-token bound or a hedged race needs that). The loop that plans
// attempts, retries, falls back and hedges is the executor's (routing/attempt_executor).

#include <chrono>
#include <memory>
#include <string>

#include "client/upstream_exchange.hpp"
#include "core/async.hpp"
#include "core/error.hpp"
#include "core/random.hpp"
#include "providers/adapter.hpp"
#include "routing/answer_sink.hpp"
#include "routing/attempt_env.hpp"
#include "routing/hedged_race.hpp"
#include "stages/request_context.hpp"
#include "stages/stage.hpp"
#include "telemetry/request_observation.hpp"

namespace switchyard {

using Clock = std::chrono::steady_clock;

// How one attempt on one deployment ended.
struct AttemptResult {
  bool answered = false;  // the sink got an answer (or its reader is gone); nothing more to try
  Error error;            // when !answered: why this deployment failed
  bool brokeMidStream = false;  // answered, but the stream failed after it began (`error`)
  bool cancelled = false;       // lost a hedged race: aborted, nothing learnt about the deployment
};

// What the attempt loop tells an attempt: its time budget and what to report in the headers.
struct AttemptSetting {
  std::chrono::milliseconds budget{0};  // the request's total timeout left; 0: none
  Clock::duration upstreamBefore{};     // time spent in earlier attempts and backoff waits
};

// An attempt's place in a hedged race. Both attempts run at once, so each keeps its own usage and
// timings here until one answers and makes them the request's.
struct RaceEntry {
  HedgedRace* race = nullptr;
  int slot = 0;
  std::shared_ptr<const Deployment> deployment;
  Usage usage;
  Clock::time_point upstreamStart{};
  Clock::time_point firstByte{};

  void publish(RequestContext& ctx) const {
    ctx.usage = usage;
    ctx.upstreamStart = upstreamStart;
    ctx.firstByte = firstByte;
    ctx.deployment = deployment;
  }
};

class Attempt {
 public:
  // `race` is set when the attempt races another (hedging).
  Attempt(const AttemptEnv& env, RequestContext& ctx, const Deployment& d, AnswerSink& sink,
          AttemptSetting setting, RaceEntry* race = nullptr)
      : env_(env),
        ctx_(ctx),
        deployment_(d),
        adapter_(adapterFor(d.format)),
        sink_(sink),
        exchange_(env.pool),
        setting_(setting),
        race_(race),
        observed_(ctx, d, env.rng) {}

  Task<AttemptResult> run();
  UpstreamExchange& exchange() { return exchange_; }
  // When the first content reached the client; epoch when none did.
  Clock::time_point firstContent() const { return firstContent_; }
  // When the request went upstream; epoch when it never did.
  Clock::time_point upstreamStart() const {
    return race_ ? race_->upstreamStart : ctx_.upstreamStart;
  }
  const Usage& usage() const { return race_ ? race_->usage : ctx_.usage; }

 private:
  Task<AttemptResult> forwardStream();
  // A whole answer goes through events when the client speaks another format than OpenAI chat,
  // or a stage watches chat answers; otherwise the adapter's body is sent as it is.
  bool answerThroughEvents() const {
    return ctx_.request.format != InboundFormat::kOpenAi ||
           (env_.pipeline.watchesAnswer(ctx_) &&
            ctx_.request.endpoint == Endpoint::kChatCompletions);
  }
  // The adapter's chat.completion decoded into events, through the stages' answer filters, into
  // the client's format.
  Result<std::string> encodeAnswer(std::string_view openAiBody);
  AttemptResult failed(Error e) {
    if (lost()) return cancelled();  // its error is only the abort's echo
    observed_.failed(e);
    return {false, std::move(e)};
  }
  bool lost() const { return race_ != nullptr && race_->race->lost(race_->slot); }
  AttemptResult cancelled() {
    exchange_.abort();
    AttemptResult r;
    r.cancelled = true;
    return r;
  }
  // The attempt is about to write to the client: in a race only the first to get here may, and
  // then it answers for the request.
  bool claim() {
    if (race_ == nullptr) return true;
    if (!race_->race->claim(race_->slot)) return false;
    race_->publish(ctx_);
    return true;
  }
  // Where the attempt records its usage and timings: the request's fields, or its race entry's.
  Usage& usageRecord() { return race_ ? race_->usage : ctx_.usage; }
  Clock::time_point& upstreamStartRecord() {
    return race_ ? race_->upstreamStart : ctx_.upstreamStart;
  }
  void addDeploymentHeaders();

  const AttemptEnv& env_;
  RequestContext& ctx_;
  const Deployment& deployment_;
  const ProviderAdapter& adapter_;
  AnswerSink& sink_;
  UpstreamExchange exchange_;
  AttemptSetting setting_;
  RaceEntry* race_;
  Clock::time_point firstContent_{};
  AttemptObservation observed_;
};

}  // namespace switchyard
