#pragma once
// The executor: a request's attempts, as the planner decides them, until one answers. It owns
// plan → attempt → classify → retry / fall back / cool down / hedge, and writes only to an
// AnswerSink, so the same code serves a client connection, a health check's probe and the tests'
// scripted upstreams. Each attempt's outcome is reported to its deployment's health state here.

#include <optional>
#include <string>

#include "client/propagated_headers.hpp"
#include "core/async.hpp"
#include "core/error.hpp"
#include "routing/answer_sink.hpp"
#include "routing/attempt.hpp"
#include "routing/attempt_planner.hpp"
#include "stages/request_context.hpp"

namespace switchyard {

// Tries deployments as `planner` says until one answers or the sink's reader leaves; the error
// to answer with when nothing answered (the sink then got only the attempt-count headers).
Task<std::optional<Error>> executeAttempts(const AttemptEnv& env, RequestContext& ctx,
                                           AttemptPlanner& planner, AnswerSink& sink);

// One attempt on `d` alone, with no retry, fallback or hedge, and nothing told to the
// deployment's health (the caller decides what the outcome means): a health check's probe goes
// through the very steps a request does.
Task<AttemptResult> attemptOnce(const AttemptEnv& env, RequestContext& ctx, const Deployment& d,
                                AnswerSink& sink);

// One request to `d` that is not a chat answer (count_tokens), answered whole: the adapter's
// credential step, the exchange, and the adapter's classification of a non-2xx answer, as an
// attempt takes them. The 2xx answer's body (at most `maxBytes`), or why there is none.
Task<Result<std::string>> callUpstream(UpstreamPool& pool, const Deployment& d,
                                       UpstreamRequest request, PropagatedHeaders propagated,
                                       size_t maxBytes);

}  // namespace switchyard
