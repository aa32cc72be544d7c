#include "server/proxy_handler.hpp"

#include "api/anthropic/messages_request.hpp"
#include "api/openai/form_request.hpp"
#include "api/openai/parse_request.hpp"
#include "api/openai/responses_request.hpp"
#include "api/routing_preferences.hpp"
#include "core/async.hpp"
#include "routing/answer_replay.hpp"
#include "routing/attempt_executor.hpp"
#include "routing/context_check.hpp"
#include "server/client_sink.hpp"
#include "server/request_router.hpp"
#include "server/responder.hpp"
#include "server/responses_state.hpp"
#include "server/worker.hpp"
#include "stages/auth/key_auth.hpp"
#include "telemetry/request_observation.hpp"

namespace switchyard {

Task<void> proxyRequest(Worker& worker, Endpoint endpoint, const HttpRequest& request,
                        std::shared_ptr<const Snapshot> snapshot, std::string requestId,
                        TcpSocket& client, Responder& responder, InboundFormat format) {
  RequestContext ctx;
  ctx.snapshot = std::move(snapshot);
  ctx.requestId = std::move(requestId);
  ctx.presentedKey = presentedKey(request);
  ctx.traceparent = request["traceparent"];
  ctx.tracestate = request["tracestate"];
  ctx.cacheControl = request["cache-control"];
  const std::string_view body = request.body();
  RequestObservation observation(worker.metrics(), ctx, worker.rng(), &worker.state().liveLog);
  auto finish = [&](const Error& e) -> Task<void> {
    ctx.status = e.status;
    ctx.errorClass = errorClassName(e.cls);
    co_await responder.sendError(e, format);
  };

  const boost::json::storage_ptr storage(&ctx.arena);
  auto parsed = format == InboundFormat::kAnthropic   ? parseAnthropicRequest(body, storage)
                : format == InboundFormat::kResponses ? parseResponsesRequest(body, storage)
                : takesForm(endpoint)
                    ? parseOpenAiFormRequest(endpoint, request["content-type"], body, storage)
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
  } else if (format == InboundFormat::kResponses) {
    std::optional<Error> refused = beginResponsesTurn(ctx);
    if (!refused && continuesResponse(ctx)) refused = co_await continueResponsesTurn(ctx, body);
    if (refused) {
      co_await finish(*refused);
      co_return;
    }
  }

  const Pipeline& pipeline = worker.pipeline();
  size_t& ran = ctx.stagesRan;
  Outcome outcome;
  if (pipeline.waits(*ctx.snapshot)) {
    outcome = co_await pipeline.runPre(ctx, ran);
  } else {
    outcome = pipeline.runPreNow(ctx, ran);
  }
  // A stage that watches this answer reads it as events, which a Responses-native upstream's
  // answer is not decoded into: such a request is translated for every backend.
  if (format == InboundFormat::kResponses && pipeline.watchesAnswer(ctx)) {
    ctx.request.clientText = {};
  }
  for (const HttpHeader& h : ctx.responseHeaders) responder.addHeader(h.name, h.value);
  if (outcome.kind == Outcome::Kind::kFail) {
    co_await finish(outcome.error);
  } else if (outcome.kind == Outcome::Kind::kRespond) {
    ctx.status = outcome.status;
    co_await responder.send(outcome.status, std::move(outcome.body));
  } else if (outcome.kind == Outcome::Kind::kReplay) {
    ClientSink sink(responder, client, worker.deadlines());
    if (auto failure = co_await replayAnswer(pipeline, ctx, *outcome.answer, sink)) {
      co_await finish(*failure);
    } else {
      ctx.status = responder.status();
    }
  } else if (auto preferences = takeRoutePreferences(ctx.request); !preferences) {
    const Error e = preferences.error();
    co_await finish(e);
  } else {
    const RoutePreferences* prefs = preferences->any ? &*preferences : nullptr;
    AttemptPlanner planner(ctx.snapshot, ctx.request.model, prefs, ctx.request.stream, worker.rng(),
                           ctx.start);
    // Context fitting: counted only when a check or a transform asks.
    const RouterSettings& router = ctx.snapshot->router;
    if (preferences->middleOut.value_or(router.middleOutByDefault)) {
      if (auto fitted = fitMiddleOut(*ctx.snapshot, ctx.request.model, ctx.request)) {
        ctx.middleOutTokensRemoved = fitted->removed();
        responder.addHeader("x-switchyard-transform",
                            "middle-out; tokens_removed=" + std::to_string(fitted->removed()) +
                                "; messages_removed=" + std::to_string(fitted->messagesRemoved));
      }
    }
    std::optional<ContextCheck> context;
    if (router.checksContextWindow()) {
      context.emplace(ctx.request, ctx.snapshot->prices.get());
      planner.checkContext(&*context);
    }
    const AttemptEnv env = worker.attemptEnv();
    ClientSink sink(responder, client, worker.deadlines());
    if (auto failure = co_await executeAttempts(env, ctx, planner, sink)) {
      co_await finish(*failure);
    } else if (ctx.status == 0) {
      ctx.status = responder.status();
    }
  }
  // After the answer went out, live or replayed from the cache.
  if (ctx.responsesTurn) finishResponsesTurn(ctx, body);
  pipeline.runPost(ctx, ran);
}

}  // namespace switchyard
