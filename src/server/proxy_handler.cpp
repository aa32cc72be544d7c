#include "server/proxy_handler.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <array>
#include <optional>

#include "api/anthropic/messages_request.hpp"
#include "api/openai/parse_request.hpp"
#include "api/routing_preferences.hpp"
#include "core/async.hpp"
#include "routing/attempt.hpp"
#include "routing/attempt_planner.hpp"
#include "routing/hedging_policy.hpp"
#include "server/client_watch.hpp"
#include "server/request_router.hpp"
#include "server/responder.hpp"
#include "server/worker.hpp"
#include "stages/auth/key_auth.hpp"
#include "telemetry/request_observation.hpp"

namespace switchyard {

namespace asio = boost::asio;

namespace {

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
  // Same storage: the body is moved, not copied. An OpenAI-format body (and an Anthropic body's
  // clientText) is still the client's text, which stays in the session's buffer until the
  // request is done.
  ctx.request = std::move(*parsed);
  if (format == InboundFormat::kAnthropic) {
    ctx.request.anthropicVersion = request["anthropic-version"];
    ctx.request.anthropicBeta = request["anthropic-beta"];
  }

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
