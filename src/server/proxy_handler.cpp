#include "server/proxy_handler.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <array>
#include <charconv>
#include <optional>

#include "api/anthropic/messages_request.hpp"
#include "api/events/answer_encoder.hpp"
#include "api/events/stream_encoder.hpp"
#include "api/openai/parse_request.hpp"
#include "api/routing_preferences.hpp"
#include "api/sse_write.hpp"
#include "client/sse_parser.hpp"
#include "client/upstream_exchange.hpp"
#include "core/async.hpp"
#include "core/deadline.hpp"
#include "providers/adapter.hpp"
#include "providers/openai/openai_answer.hpp"
#include "routing/attempt_planner.hpp"
#include "routing/hedging_policy.hpp"
#include "server/hedged_race.hpp"
#include "server/request_router.hpp"
#include "server/responder.hpp"
#include "server/worker.hpp"
#include "stages/accounting/request_cost.hpp"
#include "stages/auth/key_auth.hpp"
#include "telemetry/request_observation.hpp"

namespace switchyard {

namespace asio = boost::asio;

namespace {

constexpr size_t kMaxUpstreamBody = 64 * 1024 * 1024;
constexpr size_t kMaxUpstreamErrorBody = 1024 * 1024;

// How one attempt on one deployment ended.
struct AttemptResult {
  bool answered = false;        // the client got a response (or is gone); nothing more to try
  Error error;                  // when !answered: why this deployment failed
  bool brokeMidStream = false;  // answered, but the stream failed after it began (`error`)
  bool cancelled = false;       // lost a hedged race: aborted, nothing learnt about the deployment
};

using Clock = std::chrono::steady_clock;

// Writes `d` as milliseconds with three decimals ("0.042"; negative as 0) and returns the end.
// In whole microseconds: formatting a double costs ten times as much, on every response.
char* formatMillis(char* out, Clock::duration d) {
  const auto us = std::max<int64_t>(
      0, std::chrono::duration_cast<std::chrono::microseconds>(d + std::chrono::nanoseconds(500))
             .count());
  out = std::to_chars(out, out + 20, us / 1000).ptr;
  const auto frac = static_cast<int>(us % 1000);
  *out++ = '.';
  *out++ = static_cast<char>('0' + frac / 100);
  *out++ = static_cast<char>('0' + frac / 10 % 10);
  *out++ = static_cast<char>('0' + frac % 10);
  return out;
}

std::chrono::milliseconds remaining(Clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return std::max(left, std::chrono::milliseconds(1));
}

// What the attempt loop tells an attempt: its time budget and what to report in the headers.
struct AttemptSetting {
  std::chrono::milliseconds budget{0};  // the request's total timeout left; 0: none
  Clock::duration upstreamBefore{};     // time spent in earlier attempts and backoff waits
};

std::chrono::milliseconds capped(std::chrono::milliseconds t, std::chrono::milliseconds cap) {
  return cap.count() > 0 ? std::min(t, cap) : t;
}

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
  Attempt(Worker& worker, RequestContext& ctx, const Deployment& d, Responder& responder,
          AttemptSetting setting, RaceEntry* race = nullptr)
      : worker_(worker),
        ctx_(ctx),
        deployment_(d),
        adapter_(adapterFor(d.format)),
        responder_(responder),
        exchange_(worker.pool()),
        setting_(setting),
        race_(race),
        observed_(ctx, d, worker.rng()) {}

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
           (worker_.pipeline().watchesAnswer() &&
            ctx_.request.endpoint == Endpoint::kChatCompletions);
  }
  // The adapter's chat.completion decoded into events, through the stages' answer filters, into
  // the client's format.
  Result<std::string> encodeAnswer(std::string_view openAiBody) {
    auto encoder = makeAnswerEncoder(ctx_.request);
    auto filters = worker_.pipeline().answerFilters(ctx_, ctx_.stagesRan);
    if (auto r = decodeOpenAiAnswer(openAiBody, chainFilters(filters, *encoder)); !r) {
      return r.error();
    }
    return encoder->body();
  }
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
  void addDeploymentHeaders() {
    const auto now = Clock::now();
    firstContent_ = now;
    // The gateway's own share of the time so far: all of it minus waiting on upstreams and
    // between retries.
    const auto own = (now - ctx_.start) - setting_.upstreamBefore - (now - upstreamStart());
    char overhead[32];
    const char* overheadEnd = formatMillis(overhead, own);
    char counts[3][12];
    auto count = [&counts](int i, int n) {
      return std::string_view(counts[i], std::to_chars(counts[i], counts[i] + 12, n).ptr);
    };
    responder_.addHeaders({
        {"x-switchyard-deployment", deployment_.id},
        {"x-switchyard-attempts", count(0, ctx_.attempts)},
        {"x-switchyard-api-base", deployment_.apiBase.host},
        {"x-switchyard-retries", count(1, ctx_.retries)},
        {"x-switchyard-fallbacks", count(2, ctx_.fallbacks)},
        {"x-switchyard-overhead-ms", std::string_view(overhead, overheadEnd - overhead)},
    });
  }

  Worker& worker_;
  RequestContext& ctx_;
  const Deployment& deployment_;
  const ProviderAdapter& adapter_;
  Responder& responder_;
  UpstreamExchange exchange_;
  AttemptSetting setting_;
  RaceEntry* race_;
  Clock::time_point firstContent_{};
  AttemptObservation observed_;
};

Task<AttemptResult> Attempt::run() {
  auto upstreamRequest = adapter_.buildRequest(ctx_.request, deployment_);
  if (!upstreamRequest) co_return failed(upstreamRequest.error());
  if (adapter_.hasCredentialStep()) {
    if (auto credentials =
            co_await adapter_.addCredentials(deployment_, *upstreamRequest, worker_.pool());
        !credentials) {
      co_return failed(credentials.error());
    }
  }
  const bool stream = ctx_.request.stream;
  auto budget = capped(stream ? deployment_.streamTimeout : deployment_.timeout, setting_.budget);
  if (stream) budget = capped(budget, ctx_.snapshot->router.streamTtftTimeout);
  const auto sendAt = Clock::now();
  const PropagatedHeaders propagated = observed_.beforeSend(sendAt);
  const auto deadline = sendAt + budget;
  upstreamStartRecord() = sendAt;
  auto started = co_await exchange_.start(deployment_.apiBase, std::move(*upstreamRequest),
                                          propagated, budget);
  if (!started) co_return failed(started.error());
  (race_ ? race_->firstByte : ctx_.firstByte) = Clock::now();
  observed_.setStatus(exchange_.status());

  if (exchange_.status() < 200 || exchange_.status() >= 300) {
    auto body = exchange_.bufferedBody(kMaxUpstreamErrorBody);
    if (!body) body = co_await exchange_.readAll(remaining(deadline), kMaxUpstreamErrorBody);
    exchange_.finish();
    co_return failed(adapter_.classifyError(exchange_.status(), *body ? **body : std::string(),
                                            exchange_.retryAfter()));
  }
  if (!stream) {
    // The whole answer, in this coroutine rather than one of its own: it is most requests.
    // Small answers arrive with their head: no coroutine to read what is already here.
    auto body = exchange_.bufferedBody(kMaxUpstreamBody);
    if (!body) body = co_await exchange_.readAll(remaining(deadline), kMaxUpstreamBody);
    if (!*body) co_return failed(body->error());
    observed_.upstreamEnded();
    exchange_.finish();
    auto translated = adapter_.translateResponse(ctx_.request, std::move(**body), usageRecord());
    if (!translated) co_return failed(translated.error());
    if (answerThroughEvents()) {
      auto encoded = encodeAnswer(*translated);
      if (!encoded) co_return failed(encoded.error());
      translated = std::move(*encoded);
    }
    if (!claim()) co_return cancelled();
    addDeploymentHeaders();
    computeCost(ctx_);
    if (auto cost = formatCost(ctx_); !cost.empty()) {
      responder_.addHeaders({{"x-switchyard-cost", cost}, {"x-litellm-response-cost", cost}});
    }
    if (!responder_.sendNow(200, std::move(*translated))) co_await responder_.sendRest();
    co_return AttemptResult{true, {}};
  }
  if (exchange_.jsonAnswer()) {
    co_return failed(Error::make(ErrorClass::kBadUpstream,
                                 "The upstream answered a streaming request with a JSON body.", {},
                                 "bad_upstream_response"));
  }
  co_return co_await forwardStream();
}

// Where a decoded stream's events go first: notes usage and whether the answer has begun, then
// passes them through the stages' answer filters to the client's encoder.
class AnswerTap final : public EventSink {
 public:
  AnswerTap(Usage& usage, EventSink& next) : usage_(usage), next_(next) {}
  void onEvent(const StreamEvent& e) override {
    if (e.kind == StreamEvent::Kind::kUsage) usage_ = *e.usage;
    sawContent_ = sawContent_ || e.carriesContent();
    next_.onEvent(e);
  }
  bool sawContent() const { return sawContent_; }

 private:
  Usage& usage_;
  EventSink& next_;
  bool sawContent_ = false;
};

Task<AttemptResult> Attempt::forwardStream() {
  ctx_.streamed = true;
  // The byte fast path when the upstream speaks the client's format and no stage watches the
  // answer; events otherwise.
  const Pipeline& pipeline = worker_.pipeline();
  std::unique_ptr<StreamPassThrough> passThrough;
  if (!pipeline.watchesAnswer()) passThrough = adapter_.makeStreamPassThrough(ctx_.request);
  std::unique_ptr<StreamDecoder> decoder;
  std::unique_ptr<StreamEncoder> encoder;
  std::vector<std::unique_ptr<AnswerFilter>> filters;
  std::optional<AnswerTap> tap;
  std::string passed;
  if (!passThrough) {
    decoder = adapter_.makeStreamDecoder(ctx_.request);
    encoder = makeStreamEncoder(ctx_.request);
    filters = pipeline.answerFilters(ctx_, ctx_.stagesRan);
    tap.emplace(usageRecord(), chainFilters(filters, *encoder));
  }
  std::string& out = passThrough ? passed : encoder->output();
  auto finished = [&] { return passThrough ? passThrough->finished() : decoder->finished(); };
  auto sawContent = [&] { return passThrough ? passThrough->sawContent() : tap->sawContent(); };

  // Headers go out with the first translated event, so a stream that fails before producing
  // anything can still be retried on another deployment.
  auto fail = [&](const Error& e) -> Task<AttemptResult> {
    if (lost()) co_return cancelled();
    observed_.failed(e);
    exchange_.abort();
    if (!responder_.started()) co_return failed(e);
    out.clear();
    if (encoder) {
      encoder->fail(e);
    } else {
      // OpenAI clients read a chunk with an `error` object as a failure, and the missing [DONE]
      // tells them the answer is incomplete.
      appendSseData(out, e.toOpenAiJson());
    }
    if (co_await responder_.streamData(out)) co_await responder_.endStream();
    responder_.setKeepAlive(false);
    ctx_.errorClass = errorClassName(e.cls);
    co_return AttemptResult{true, e, true};
  };

  // Until content reached the client, a stall is retried elsewhere: the time to first token is
  // bounded by stream_ttft_timeout (and by the request's total timeout).
  const auto ttft = ctx_.snapshot->router.streamTtftTimeout;
  const auto firstContentBy = ttft.count() > 0 ? upstreamStart() + ttft : Clock::time_point::max();
  // A racing attempt has not answered until real content came: an upstream that opens its
  // stream and then stalls must not win the race.
  const bool holdBack = ttft.count() > 0 || race_ != nullptr;
  while (true) {
    auto wait = deployment_.streamTimeout;
    if (!responder_.started() && firstContentBy != Clock::time_point::max()) {
      wait = std::min(wait, remaining(firstContentBy));
    }
    auto piece = co_await exchange_.readSome(capped(wait, setting_.budget));
    if (lost()) co_return cancelled();
    if (ctx_.clientGone) {
      co_return AttemptResult{true, {}};
    }
    if (!piece) {
      const Error e = piece.error();
      co_return co_await fail(e);
    }
    if (piece->empty()) break;
    auto decoded = passThrough ? passThrough->onBytes(*piece, out, usageRecord())
                               : decoder->onBytes(*piece, *tap);
    if (!decoded) {
      const Error e = decoded.error();
      co_return co_await fail(e);
    }
    if (out.empty()) continue;
    // Held back until real content arrives, so a stall before it can still be retried.
    if (!responder_.started() && holdBack && !sawContent()) continue;
    if (!responder_.started()) {
      if (!claim()) co_return cancelled();
      addDeploymentHeaders();
      observed_.firstToken();
      if (!co_await responder_.beginStream()) break;
    }
    if (!co_await responder_.streamData(out)) {
      ctx_.clientGone = true;
      break;
    }
    out.clear();
  }
  if (ctx_.clientGone) {
    exchange_.abort();
    co_return AttemptResult{true, {}};
  }
  if (!finished()) {
    const Error e = Error::make(ErrorClass::kBadUpstream,
                                "The upstream ended the stream before it was complete.", {},
                                "incomplete_stream");
    co_return co_await fail(e);
  }
  observed_.upstreamEnded();
  exchange_.finish();
  if (!responder_.started()) {
    if (!claim()) co_return cancelled();
    addDeploymentHeaders();
    co_await responder_.beginStream();
  }
  if (!out.empty() && !co_await responder_.streamData(out)) {
    ctx_.clientGone = true;
    co_return AttemptResult{true, {}};
  }
  co_await responder_.endStream();
  co_return AttemptResult{true, {}};
}

// Watches the client connection while an attempt runs and aborts the upstream exchange when the
// client closes it, so nobody pays for tokens that no one will read. The watch is a one-byte peek
// with a plain callback, armed by the worker's sweep once the attempt has run for a tick or two:
// the many requests that are over sooner cost nothing to watch, and the rest are the ones where a
// client can leave (an LLM answer takes seconds).
class ClientWatch : private SweepAlarm {
 public:
  ClientWatch(TcpSocket& client, UpstreamExchange& exchange, bool& clientGone,
              DeadlineSweeper& sweeper)
      : socket_(client), exchange_(exchange), clientGone_(clientGone) {
    set(sweeper);
  }
  ~ClientWatch() {
    if (!state_) return;
    // The cancelled peek completes later; `active` tells its handler that nothing it points to
    // may still exist.
    state_->active = false;
    boost::system::error_code ec;
    socket_.cancel(ec);
  }
  ClientWatch(const ClientWatch&) = delete;
  ClientWatch& operator=(const ClientWatch&) = delete;

  // A hedge joined the race: the client leaving aborts its exchange too.
  void alsoAbort(UpstreamExchange& exchange) {
    hedge_ = &exchange;
    if (state_) state_->hedge = &exchange;
  }

 private:
  struct State {
    State(UpstreamExchange* e, bool* g) : exchange(e), clientGone(g) {}
    UpstreamExchange* exchange;
    bool* clientGone;
    UpstreamExchange* hedge = nullptr;
    bool active = true;
    char byte = 0;  // the peeked byte's landing place; it stays in the socket
  };

  void ring() override {
    state_ = std::make_shared<State>(&exchange_, &clientGone_);
    state_->hedge = hedge_;
    auto* state = state_.get();
    socket_.async_receive(asio::buffer(&state->byte, 1), asio::socket_base::message_peek,
                          [state = state_](const boost::system::error_code& ec, size_t n) {
                            if (!state->active || ec == asio::error::operation_aborted) return;
                            if (!ec && n > 0) return;  // an early next request: still there
                            *state->clientGone = true;
                            state->exchange->abort();
                            if (state->hedge != nullptr) state->hedge->abort();
                          });
  }

  TcpSocket& socket_;
  UpstreamExchange& exchange_;
  bool& clientGone_;
  UpstreamExchange* hedge_ = nullptr;
  std::shared_ptr<State> state_;  // once armed
};

// Reports an attempt's outcome to its deployment's health and load state.
void recordOutcome(const AttemptStep& step, const RequestContext& ctx, const Attempt& attempt,
                   const AttemptResult& r, Clock::time_point now) {
  DeploymentState& state = *step.state;
  if (ctx.clientGone || r.cancelled) {
    // Nothing learnt: the client left before or while it answered, or another deployment
    // answered first.
    state.abandoned();
  } else if (!r.answered || r.brokeMidStream) {
    state.failed(now, r.error, ctx.snapshot->router, step.canCoolDown);
  } else {
    using std::chrono::duration_cast;
    using std::chrono::microseconds;
    const auto first = attempt.firstContent() == Clock::time_point{} ? now : attempt.firstContent();
    const auto start = attempt.upstreamStart();
    state.succeeded(now, duration_cast<microseconds>(now - start),
                    duration_cast<microseconds>(first - start), ctx.request.stream);
  }
  if (attempt.usage().present) state.addTokens(now, attempt.usage().totalTokens);
}

// One attempt of a hedged race, run as a coroutine of its own so that two can be in flight.
struct RacingAttempt {
  std::optional<AttemptStep> step;
  RaceEntry entry;
  std::optional<Attempt> attempt;
  AttemptResult result;
};

// The planner's next deployment to race, counted in flight.
std::optional<AttemptStep> startableHedge(AttemptPlanner& planner) {
  while (auto step = planner.hedge(Clock::now())) {
    // Another request may hold the probe of a deployment just out of its cooldown.
    if (step->state->begin(Clock::now())) return step;
  }
  return std::nullopt;
}

// After how long a second deployment is raced against the step's; none when its group does not
// hedge, or hedges by latency and the deployment has no latency history yet.
std::optional<std::chrono::milliseconds> hedgeDelayFor(const RequestContext& ctx,
                                                       const AttemptPlanner& planner,
                                                       const AttemptStep& step) {
  const HedgingPolicy* policy = hedgingPolicyFor(ctx.snapshot->router, planner.group());
  if (policy == nullptr) return std::nullopt;
  return hedgeDelay(*policy, *step.state, ctx.request.stream);
}

// Runs `first` and, when it has not begun to answer within hedgeDelayFor, races the planner's next
// deployment against it: the first to answer writes to the client and the other is aborted.
// True when the request is answered (or the client left); false when every attempt of the race
// failed, their errors told to the planner.
Task<bool> raceAttempts(Worker& worker, RequestContext& ctx, TcpSocket& client,
                        Responder& responder, AttemptPlanner& planner, const AttemptStep& first,
                        Clock::duration& upstreamBefore) {
  HedgedRace race;
  std::array<RacingAttempt, HedgedRace::kSlots> slots;
  std::array<int, HedgedRace::kSlots> finished{};  // slots in the order their attempts ended
  int launched = 0;
  int ended = 0;
  SteadyTimer wake(worker.ioc());
  auto launch = [&](const AttemptStep& step, Clock::duration before) {
    const int slot = launched++;
    RacingAttempt& a = slots[slot];
    a.step = step;
    a.entry.race = &race;
    a.entry.slot = slot;
    a.entry.deployment = step.deployment;
    a.attempt.emplace(worker, ctx, *step.deployment, responder, AttemptSetting{step.budget, before},
                      &a.entry);
    race.enter(slot, a.attempt->exchange());
    asio::co_spawn(
        worker.ioc(), a.attempt->run(), [&, slot](std::exception_ptr e, AttemptResult r) {
          slots[slot].result = e ? AttemptResult{false, Error::make(ErrorClass::kInternal,
                                                                    "The upstream attempt failed.")}
                                 : std::move(r);
          finished[ended++] = slot;
          wake.cancel();
        });
  };
  // The caller found a delay; a deployment's latency average, once it has one, never goes away.
  const auto hedgeAt = Clock::now() + *hedgeDelayFor(ctx, planner, first);
  launch(first, upstreamBefore);
  ClientWatch watch(client, slots[0].attempt->exchange(), ctx.clientGone, worker.deadlines());
  bool hedgeTried = false;
  while (ended < launched) {
    const bool mayHedge = !hedgeTried && race.winner() < 0 && !ctx.clientGone;
    wake.expires_at(mayHedge ? hedgeAt : Clock::time_point::max());
    co_await wake.async_wait(kUseTuple);
    if (!mayHedge || ended > 0 || race.winner() >= 0 || ctx.clientGone || Clock::now() < hedgeAt) {
      continue;
    }
    hedgeTried = true;
    auto second = startableHedge(planner);
    if (!second) continue;
    ++ctx.attempts;
    ++ctx.hedges;
    responder.addHeader("x-switchyard-hedged", "true");
    // For the hedge's overhead header, the first attempt's time so far was spent upstream.
    const auto firstStart = slots[0].attempt->upstreamStart();
    const auto waited =
        firstStart == Clock::time_point{} ? Clock::duration{} : Clock::now() - firstStart;
    launch(*second, upstreamBefore + waited);
    watch.alsoAbort(slots[1].attempt->exchange());
  }

  // The request reports the attempt that answered, or the one that failed last.
  const int reported = race.winner() >= 0 ? race.winner() : finished[ended - 1];
  slots[reported].entry.publish(ctx);
  Clock::time_point raceStart = Clock::time_point::max();
  const auto raceEnd = Clock::now();
  for (int i = 0; i < launched; ++i) {
    const RacingAttempt& a = slots[i];
    recordOutcome(*a.step, ctx, *a.attempt, a.result, raceEnd);
    if (a.attempt->upstreamStart() != Clock::time_point{}) {
      raceStart = std::min(raceStart, a.attempt->upstreamStart());
    }
  }
  if (raceStart != Clock::time_point::max()) upstreamBefore += raceEnd - raceStart;
  if (ctx.clientGone) co_return true;
  for (int k = 0; k < ended; ++k) {
    if (slots[finished[k]].result.answered) co_return true;
  }
  for (int k = 0; k < ended; ++k) {
    const AttemptResult& r = slots[finished[k]].result;
    if (!r.cancelled) planner.failed(r.error);
  }
  co_return false;
}

}  // namespace

Task<void> proxyRequest(Worker& worker, Endpoint endpoint, const HttpRequest& request,
                        std::shared_ptr<const Snapshot> snapshot, std::string requestId,
                        TcpSocket& client, Responder& responder, InboundFormat format) {
  RequestContext ctx;
  ctx.snapshot = std::move(snapshot);
  ctx.requestId = std::move(requestId);
  ctx.presentedKey = presentedKey(request);
  ctx.traceparent = request["traceparent"];
  ctx.tracestate = request["tracestate"];
  const std::string_view body = request.body();
  RequestObservation observation(worker.metrics(), ctx, worker.rng());
  auto finish = [&](const Error& e) -> Task<void> {
    ctx.status = e.status;
    ctx.errorClass = errorClassName(e.cls);
    co_await responder.sendError(e, format);
  };

  const boost::json::storage_ptr storage(&ctx.arena);
  auto parsed = format == InboundFormat::kAnthropic ? parseAnthropicRequest(body, storage)
                                                    : parseOpenAiRequest(endpoint, body, storage);
  if (!parsed) {
    // An unauthenticated client learns nothing about the body it sent.
    const Error e = checkGatewayKey(*ctx.snapshot, ctx.presentedKey).value_or(parsed.error());
    co_await finish(e);
    co_return;
  }
  // Same storage: the body is moved, not copied. An OpenAI-format body is still the client's
  // text, which stays in the session's buffer until the request is done.
  ctx.request = std::move(*parsed);

  const Pipeline& pipeline = worker.pipeline();
  size_t& ran = ctx.stagesRan;
  Outcome outcome;
  if (pipeline.waits()) {
    outcome = co_await pipeline.runPre(ctx, ran);
  } else {
    outcome = pipeline.runPreNow(ctx, ran);
  }
  if (outcome.kind == Outcome::Kind::kFail) {
    co_await finish(outcome.error);
  } else if (outcome.kind == Outcome::Kind::kRespond) {
    ctx.status = outcome.status;
    co_await responder.send(outcome.status, std::move(outcome.body));
  } else if (auto preferences = takeRoutePreferences(ctx.request); !preferences) {
    const Error e = preferences.error();
    co_await finish(e);
  } else {
    // Deployments are tried as the planner says until one answers; here rather than in a
    // coroutine of their own, which would cost a frame on every request.
    const RoutePreferences* prefs = preferences->any ? &*preferences : nullptr;
    std::optional<Error> failure;
    AttemptPlanner planner(ctx.snapshot, ctx.request.model, prefs, ctx.request.stream, worker.rng(),
                           ctx.start);
    Clock::duration upstreamBefore{};
    while (true) {
      // One clock read serves the plan and the deployment's bookkeeping: both want "now".
      auto now = Clock::now();
      auto step = planner.next(now);
      ctx.modelGroup = planner.group();
      if (!step) {
        // A failed request says what was tried, too.
        responder.addHeader("x-switchyard-attempts", std::to_string(ctx.attempts));
        responder.addHeader("x-switchyard-retries", std::to_string(ctx.retries));
        responder.addHeader("x-switchyard-fallbacks", std::to_string(ctx.fallbacks));
        failure = step.error();
        break;
      }
      if (step->wait.count() > 0) {
        const auto waitStart = now;
        SteadyTimer timer(worker.ioc(), step->wait);
        co_await timer.async_wait(kUseTuple);
        now = Clock::now();
        upstreamBefore += now - waitStart;
      }
      // Another request may hold the probe of a deployment just out of its cooldown.
      if (!step->state->begin(now)) continue;
      ++ctx.attempts;
      ctx.retries = planner.retries();
      ctx.fallbacks = planner.fallbacks();
      ctx.deployment = step->deployment;
      ctx.usage = Usage{};
      ctx.upstreamStart = {};
      if (!ctx.snapshot->router.hedging.empty() && hedgeDelayFor(ctx, planner, *step)) {
        if (co_await raceAttempts(worker, ctx, client, responder, planner, *step, upstreamBefore)) {
          if (ctx.clientGone) responder.setKeepAlive(false);
          break;
        }
        continue;
      }
      Attempt attempt(worker, ctx, *step->deployment, responder,
                      AttemptSetting{step->budget, upstreamBefore});
      AttemptResult r;
      {
        ClientWatch watch(client, attempt.exchange(), ctx.clientGone, worker.deadlines());
        r = co_await attempt.run();
      }
      const auto ended = Clock::now();
      recordOutcome(*step, ctx, attempt, r, ended);
      if (ctx.upstreamStart != Clock::time_point{}) upstreamBefore += ended - ctx.upstreamStart;
      if (ctx.clientGone) {
        responder.setKeepAlive(false);
        break;
      }
      if (r.answered) break;
      planner.failed(r.error);
    }
    if (failure) {
      co_await finish(*failure);
    } else if (ctx.status == 0) {
      ctx.status = responder.status();
    }
  }
  pipeline.runPost(ctx, ran);
}

}  // namespace switchyard
