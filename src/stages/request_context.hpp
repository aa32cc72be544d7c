#pragma once
// Everything the pipeline knows about one request, from arrival to the access-log line.

#include <boost/json/monotonic_resource.hpp>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "api/request.hpp"
#include "config/snapshot.hpp"
#include "core/error.hpp"
#include "core/http_fields.hpp"
#include "telemetry/attempt_trail.hpp"
#include "telemetry/trace_context.hpp"

namespace switchyard {

struct GuardrailRun;
struct CacheLookup;
struct ResponsesTurn;

struct RequestContext {
  // Backs the parsed request body: one buffer for all its JSON values, freed with the request.
  // Declared before `request` so that it outlives it.
  alignas(16) unsigned char arenaBuffer[4096];
  boost::json::monotonic_resource arena{arenaBuffer, sizeof arenaBuffer};

  std::shared_ptr<const Snapshot> snapshot;  // the config this request started with
  std::string requestId;
  std::string presentedKey;  // the key the client sent (Bearer, api-key or x-api-key), if any
  ApiRequest request{boost::json::storage_ptr(&arena)};
  std::shared_ptr<const Deployment> deployment;  // the one that answered (or was tried last)
  Usage usage;
  int status = 0;
  int attempts = 0;
  bool streamed = false;
  bool clientGone = false;
  std::string errorClass;  // set when the request failed

  // Who is asking, filled by the key stages: spend, limits and metric labels use these. Empty for
  // master-key or unauthenticated requests.
  std::string keyId;     // the virtual key's id (its hash), never the key itself
  std::string keyAlias;  // the key's human name, a bounded metric label
  std::string teamId;
  std::string userId;
  // The end user (the body's `user`) the budget stage admitted this request for; empty when none.
  std::string endUserId;
  // What the request cost in USD, from the provider-reported usage and the price data.
  double costUsd = 0.0;
  bool costKnown = false;
  // A stream that completed (the provider's end-of-message event came) without any usage:
  // tokens and cost are unknown, counted in switchyard_usage_unknown_total.
  bool usageUnknown = false;
  // The budget stage's reservation for this request, released when it settles.
  double reservedUsd = 0.0;
  bool admitted = false;
  // The client's Cache-Control header (a view of the request's header table).
  std::string_view cacheControl;
  // What the cache stage found and will fill for this request (stages/cache); null when the
  // cache is off or the request did not use it.
  std::shared_ptr<CacheLookup> cache;
  // Headers a stage adds to the response, whatever answers it (names and values must outlive
  // the request: literals, or strings a stage keeps in the context).
  std::vector<HttpHeader> responseHeaders;
  // How many pipeline stages' pre steps ran: their post steps and answer filters apply.
  size_t stagesRan = 0;
  // What the guardrails did to this request and still do to its answer
  // (stages/guardrails/guardrail_run.hpp); null when none ran.
  std::shared_ptr<GuardrailRun> guardrails;
  // A /v1/responses request that continues a stored response or is stored itself
  // (api/openai/responses_turn.hpp); null otherwise.
  std::shared_ptr<ResponsesTurn> responsesTurn;
  // What the attempt loop did beyond the first try.
  int retries = 0;            // further tries on the same deployment group
  int fallbacks = 0;          // switches to another model group
  int hedges = 0;             // second deployments raced against a slow first one (hedging)
  std::string modelGroup;     // the model name the client asked for, as routed
  AttemptTrail attemptTrail;  // each attempt: deployment, reason, outcome, time
  // Input tokens the middle-out transform removed to fit the context window (0: none).
  int64_t middleOutTokensRemoved = 0;
  std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point upstreamStart{};
  std::chrono::steady_clock::time_point firstByte{};
  // Telemetry, filled by the server and the attempt loop; metrics, access log and traces read it.
  std::chrono::steady_clock::duration upstreamTime{};  // upstream exchanges, summed over attempts
  std::chrono::steady_clock::time_point firstToken{};  // streams: first event sent to the client
  std::string traceparent;                             // W3C trace context the client sent
  std::string tracestate;
  TraceIds trace;  // this request's trace and server span, when tracing is on
};

}  // namespace switchyard
