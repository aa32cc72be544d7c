#include "routing/attempt_executor.hpp"

#include <boost/asio/co_spawn.hpp>

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <string>

#include "client/upstream_exchange.hpp"
#include "routing/deployment_state.hpp"
#include "routing/hedging_policy.hpp"

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

// Adds an attempt to the request's trail (what the access log and the live log's detail show).
// `step`'s deployment is moved into the record: the step is done with, and a move costs no
// reference count.
void recordTrail(RequestContext& ctx, AttemptStep& step, Attempt& attempt, const AttemptResult& r,
                 Clock::duration took) {
  AttemptRecord* rec = ctx.attemptTrail.add();
  if (rec == nullptr) return;
  rec->deployment = std::move(step.deployment);
  rec->reason = step.reason;
  rec->status = static_cast<int16_t>(attempt.exchange().status());
  const auto us = std::chrono::duration_cast<std::chrono::microseconds>(took).count();
  rec->latencyUs = static_cast<uint32_t>(std::clamp<int64_t>(us, 0, UINT32_MAX));
  if (r.cancelled) {
    rec->outcome = AttemptOutcome::kCancelled;
  } else if (!r.answered || r.brokeMidStream) {
    rec->outcome = r.answered ? AttemptOutcome::kBrokeMidStream : AttemptOutcome::kFailed;
    rec->error = r.error.cls;
  }
}

// One attempt of a hedged race, run as a coroutine of its own so that two can be in flight.
struct RacingAttempt {
  std::optional<AttemptStep> step;
  RaceEntry entry;
  std::optional<Attempt> attempt;
  AttemptResult result;
  Clock::time_point launched{};
  Clock::time_point ended{};  // the attempt trail's times
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
// deployment against it: the first to answer writes to the sink and the other is aborted.
// True when the request is answered (or the reader left); false when every attempt of the race
// failed, their errors told to the planner.
Task<bool> raceAttempts(const AttemptEnv& env, RequestContext& ctx, AnswerSink& sink,
                        AttemptPlanner& planner, const AttemptStep& first,
                        Clock::duration& upstreamBefore) {
  HedgedRace race;
  std::array<RacingAttempt, HedgedRace::kSlots> slots;
  std::array<int, HedgedRace::kSlots> finished{};  // slots in the order their attempts ended
  int launched = 0;
  int ended = 0;
  SteadyTimer wake(env.executor);
  auto launch = [&](const AttemptStep& step, Clock::duration before) {
    const int slot = launched++;
    RacingAttempt& a = slots[slot];
    a.step = step;
    a.entry.race = &race;
    a.entry.slot = slot;
    a.entry.deployment = step.deployment;
    a.attempt.emplace(env, ctx, *step.deployment, sink, AttemptSetting{step.budget, before},
                      &a.entry);
    race.enter(slot, a.attempt->exchange());
    a.launched = Clock::now();
    asio::co_spawn(
        env.executor, a.attempt->run(), [&, slot](std::exception_ptr e, AttemptResult r) {
          slots[slot].result = e ? AttemptResult{false, Error::make(ErrorClass::kInternal,
                                                                    "The upstream attempt failed.")}
                                 : std::move(r);
          slots[slot].ended = Clock::now();
          finished[ended++] = slot;
          wake.cancel();
        });
  };
  // The caller found a delay; a deployment's latency average, once it has one, never goes away.
  const auto hedgeAt = Clock::now() + *hedgeDelayFor(ctx, planner, first);
  launch(first, upstreamBefore);
  SinkWatch watch(sink, slots[0].attempt->exchange(), ctx.clientGone);
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
    sink.addHeader("x-switchyard-hedged", "true");
    // For the hedge's overhead header, the first attempt's time so far was spent upstream.
    const auto firstStart = slots[0].attempt->upstreamStart();
    const auto waited =
        firstStart == Clock::time_point{} ? Clock::duration{} : Clock::now() - firstStart;
    launch(*second, upstreamBefore + waited);
    sink.alsoWatch(slots[1].attempt->exchange());
  }

  // The request reports the attempt that answered, or the one that failed last.
  const int reported = race.winner() >= 0 ? race.winner() : finished[ended - 1];
  slots[reported].entry.publish(ctx);
  Clock::time_point raceStart = Clock::time_point::max();
  const auto raceEnd = Clock::now();
  for (int i = 0; i < launched; ++i) {
    RacingAttempt& a = slots[i];
    recordOutcome(*a.step, ctx, *a.attempt, a.result, raceEnd);
    recordTrail(ctx, *a.step, *a.attempt, a.result, a.ended - a.launched);
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

Task<std::optional<Error>> executeAttempts(const AttemptEnv& env, RequestContext& ctx,
                                           AttemptPlanner& planner, AnswerSink& sink) {
  Clock::duration upstreamBefore{};
  while (true) {
    // One clock read serves the plan and the deployment's bookkeeping: both want "now".
    auto now = Clock::now();
    auto step = planner.next(now);
    ctx.modelGroup = planner.group();
    if (!step) {
      // A failed request says what was tried, too.
      sink.addHeader("x-switchyard-attempts", std::to_string(ctx.attempts));
      sink.addHeader("x-switchyard-retries", std::to_string(ctx.retries));
      sink.addHeader("x-switchyard-fallbacks", std::to_string(ctx.fallbacks));
      co_return step.error();
    }
    if (step->wait.count() > 0) {
      const auto waitStart = now;
      SteadyTimer timer(env.executor, step->wait);
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
      if (co_await raceAttempts(env, ctx, sink, planner, *step, upstreamBefore)) {
        if (ctx.clientGone) sink.endConnection();
        co_return std::nullopt;
      }
      continue;
    }
    Attempt attempt(env, ctx, *step->deployment, sink,
                    AttemptSetting{step->budget, upstreamBefore});
    AttemptResult r;
    {
      SinkWatch watch(sink, attempt.exchange(), ctx.clientGone);
      r = co_await attempt.run();
    }
    const auto ended = Clock::now();
    recordOutcome(*step, ctx, attempt, r, ended);
    // A first attempt that answered is the request's own deployment, status and time: the trail
    // (and its cost) begins with the first failure.
    if (!r.answered || ctx.attemptTrail.size() > 0)
      recordTrail(ctx, *step, attempt, r, ended - now);
    if (ctx.upstreamStart != Clock::time_point{}) upstreamBefore += ended - ctx.upstreamStart;
    if (ctx.clientGone) {
      sink.endConnection();
      co_return std::nullopt;
    }
    if (r.answered) co_return std::nullopt;
    planner.failed(r.error);
  }
}

Task<AttemptResult> attemptOnce(const AttemptEnv& env, RequestContext& ctx, const Deployment& d,
                                AnswerSink& sink) {
  Attempt attempt(env, ctx, d, sink, AttemptSetting{});
  SinkWatch watch(sink, attempt.exchange(), ctx.clientGone);
  co_return co_await attempt.run();
}

Task<Result<std::string>> callUpstream(UpstreamPool& pool, const Deployment& d,
                                       UpstreamRequest request, PropagatedHeaders propagated,
                                       size_t maxBytes) {
  const ProviderAdapter& adapter = adapterFor(d.format);
  if (adapter.hasCredentialStep()) {
    if (auto credentials = co_await adapter.addCredentials(d, request, pool); !credentials) {
      co_return credentials.error();
    }
  }
  UpstreamExchange exchange(pool);
  if (auto started = co_await exchange.start(d.apiBase, std::move(request), propagated, d.timeout);
      !started) {
    co_return started.error();
  }
  auto body = co_await exchange.readAll(d.timeout, maxBytes);
  if (!body) co_return body.error();
  exchange.finish();
  if (exchange.status() >= 200 && exchange.status() < 300) co_return std::move(*body);
  co_return adapter.classifyError(exchange.status(), *body, exchange.retryAfter());
}

}  // namespace switchyard
