#include "server/request_router.hpp"

#include <boost/beast/http.hpp>
#include <optional>

#include "api/openai/models_list.hpp"
#include "core/async.hpp"
#include "governance/governance.hpp"
#include "routing/health_report.hpp"
#include "server/admin_routes.hpp"
#include "server/count_tokens.hpp"
#include "server/model_info.hpp"
#include "server/proxy_handler.hpp"
#include "server/request_id.hpp"
#include "server/responder.hpp"
#include "server/responses_state.hpp"
#include "server/token_counter.hpp"
#include "server/ui/live_log_stream.hpp"
#include "server/ui/ui_auth.hpp"
#include "server/ui/ui_routes.hpp"
#include "server/worker.hpp"
#include "stages/auth/route_auth.hpp"
#include "stages/cache/cache_admin.hpp"

namespace switchyard {

namespace http = boost::beast::http;
namespace asio = boost::asio;

std::string presentedKey(const HttpRequest& request) {
  std::string_view auth = request[http::field::authorization];
  if (auth.size() > 7 && (auth.starts_with("Bearer ") || auth.starts_with("bearer "))) {
    auth.remove_prefix(7);
    while (!auth.empty() && auth.front() == ' ') auth.remove_prefix(1);
    return std::string(auth);
  }
  if (auto k = request["api-key"]; !k.empty()) return std::string(k);
  if (auto k = request["x-api-key"]; !k.empty()) return std::string(k);
  return {};
}

namespace {

// What serves a route.
enum class Serve {
  kLiveness,
  kReadiness,
  kMetrics,
  kHealth,
  kModels,
  kCountTokens,
  kResponsesInputTokens,
  kTokenCounter,  // LiteLLM's /utils/token_counter
  kAdmin,
  kModelInfo,       // LiteLLM's /model/info
  kModelGroupInfo,  // LiteLLM's /model_group/info
  kCacheStats,
  kCacheFlush,
  kStoredResponse,  // /v1/responses/{id}[/input_items | /cancel]
  kUi,              // the admin UI: its files and its login (server/ui)
  kLiveLog,         // GET /live/requests: the live request log over SSE
  kModel,           // a model endpoint: the pipeline and the executor
};

// Every route the gateway serves: its method, who may call it (RouteAuth: the one table of
// authentication and its exemptions) and the format its errors are written in.
struct Route {
  std::string_view path;
  http::verb method;  // http::verb::unknown: any (the admin API dispatches on it)
  RouteAuth auth;
  Serve serve;
  Endpoint endpoint = Endpoint::kChatCompletions;
  InboundFormat format = InboundFormat::kOpenAi;
};

constexpr Route kRoutes[] = {
    {"/health/liveliness", http::verb::get, RouteAuth::kPublic, Serve::kLiveness},
    {"/health/liveness", http::verb::get, RouteAuth::kPublic, Serve::kLiveness},
    {"/health/readiness", http::verb::get, RouteAuth::kPublic, Serve::kReadiness},
    {"/metrics", http::verb::get, RouteAuth::kPublic, Serve::kMetrics},
    {"/health", http::verb::get, RouteAuth::kMasterKey, Serve::kHealth},
    {"/cache/stats", http::verb::get, RouteAuth::kMasterKey, Serve::kCacheStats},
    {"/cache", http::verb::delete_, RouteAuth::kMasterKey, Serve::kCacheFlush},
    {"/v1/models", http::verb::get, RouteAuth::kGatewayKey, Serve::kModels},
    {"/models", http::verb::get, RouteAuth::kGatewayKey, Serve::kModels},
    {"/model/info", http::verb::get, RouteAuth::kMasterKey, Serve::kModelInfo},
    {"/v1/model/info", http::verb::get, RouteAuth::kMasterKey, Serve::kModelInfo},
    {"/model_group/info", http::verb::get, RouteAuth::kMasterKey, Serve::kModelGroupInfo},
    {"/live/requests", http::verb::get, RouteAuth::kMasterKey, Serve::kLiveLog},
    {"/v1/messages/count_tokens", http::verb::post, RouteAuth::kGatewayKey, Serve::kCountTokens,
     Endpoint::kChatCompletions, InboundFormat::kAnthropic},
    {"/v1/messages", http::verb::post, RouteAuth::kPipeline, Serve::kModel,
     Endpoint::kChatCompletions, InboundFormat::kAnthropic},
    {"/v1/responses/input_tokens", http::verb::post, RouteAuth::kGatewayKey,
     Serve::kResponsesInputTokens, Endpoint::kChatCompletions, InboundFormat::kResponses},
    {"/utils/token_counter", http::verb::post, RouteAuth::kGatewayKey, Serve::kTokenCounter},
    {"/v1/responses", http::verb::post, RouteAuth::kPipeline, Serve::kModel,
     Endpoint::kChatCompletions, InboundFormat::kResponses},
    {"/responses", http::verb::post, RouteAuth::kPipeline, Serve::kModel,
     Endpoint::kChatCompletions, InboundFormat::kResponses},
    {"/v1/chat/completions", http::verb::post, RouteAuth::kPipeline, Serve::kModel,
     Endpoint::kChatCompletions},
    {"/chat/completions", http::verb::post, RouteAuth::kPipeline, Serve::kModel,
     Endpoint::kChatCompletions},
    {"/v1/completions", http::verb::post, RouteAuth::kPipeline, Serve::kModel,
     Endpoint::kCompletions},
    {"/completions", http::verb::post, RouteAuth::kPipeline, Serve::kModel, Endpoint::kCompletions},
    {"/v1/embeddings", http::verb::post, RouteAuth::kPipeline, Serve::kModel,
     Endpoint::kEmbeddings},
    {"/embeddings", http::verb::post, RouteAuth::kPipeline, Serve::kModel, Endpoint::kEmbeddings},
    // The media and ranking endpoints, with and without /v1 as LiteLLM serves them (and its
    // Cohere-style /v2/rerank).
    {"/v1/moderations", http::verb::post, RouteAuth::kPipeline, Serve::kModel,
     Endpoint::kModerations},
    {"/moderations", http::verb::post, RouteAuth::kPipeline, Serve::kModel, Endpoint::kModerations},
    {"/v1/rerank", http::verb::post, RouteAuth::kPipeline, Serve::kModel, Endpoint::kRerank},
    {"/v2/rerank", http::verb::post, RouteAuth::kPipeline, Serve::kModel, Endpoint::kRerank},
    {"/rerank", http::verb::post, RouteAuth::kPipeline, Serve::kModel, Endpoint::kRerank},
    {"/v1/images/generations", http::verb::post, RouteAuth::kPipeline, Serve::kModel,
     Endpoint::kImageGenerations},
    {"/images/generations", http::verb::post, RouteAuth::kPipeline, Serve::kModel,
     Endpoint::kImageGenerations},
    {"/v1/images/edits", http::verb::post, RouteAuth::kPipeline, Serve::kModel,
     Endpoint::kImageEdits},
    {"/images/edits", http::verb::post, RouteAuth::kPipeline, Serve::kModel, Endpoint::kImageEdits},
    {"/v1/images/variations", http::verb::post, RouteAuth::kPipeline, Serve::kModel,
     Endpoint::kImageVariations},
    {"/images/variations", http::verb::post, RouteAuth::kPipeline, Serve::kModel,
     Endpoint::kImageVariations},
    {"/v1/audio/speech", http::verb::post, RouteAuth::kPipeline, Serve::kModel,
     Endpoint::kAudioSpeech},
    {"/audio/speech", http::verb::post, RouteAuth::kPipeline, Serve::kModel,
     Endpoint::kAudioSpeech},
    {"/v1/audio/transcriptions", http::verb::post, RouteAuth::kPipeline, Serve::kModel,
     Endpoint::kAudioTranscriptions},
    {"/audio/transcriptions", http::verb::post, RouteAuth::kPipeline, Serve::kModel,
     Endpoint::kAudioTranscriptions},
    {"/v1/audio/translations", http::verb::post, RouteAuth::kPipeline, Serve::kModel,
     Endpoint::kAudioTranslations},
    {"/audio/translations", http::verb::post, RouteAuth::kPipeline, Serve::kModel,
     Endpoint::kAudioTranslations},
};
// The admin API's paths (governance/isAdminPath) share one rule.
constexpr Route kAdminRoute{"", http::verb::unknown, RouteAuth::kMasterKey, Serve::kAdmin};
// Stored responses by id: any key, which sees its own only (the handler checks the method).
constexpr Route kStoredResponseRoute{"", http::verb::unknown, RouteAuth::kGatewayKey,
                                     Serve::kStoredResponse};
// The admin UI's files are public (the login page must load; they hold no secret); its login
// routes check what they are given themselves.
constexpr Route kUiRoute{"", http::verb::unknown, RouteAuth::kPublic, Serve::kUi};

const Route* routeFor(const Snapshot& snapshot, std::string_view path) {
  for (const auto& route : kRoutes) {
    // Without metrics there is no /metrics route at all.
    if (route.serve == Serve::kMetrics && !snapshot.server.telemetry.metrics) continue;
    if (path == route.path) return &route;
  }
  if (isStoredResponsePath(path)) return &kStoredResponseRoute;
  if (isUiPath(path)) return &kUiRoute;
  return isAdminPath(path) ? &kAdminRoute : nullptr;
}

std::string_view queryOf(std::string_view target) {
  const auto q = target.find('?');
  return q == std::string_view::npos ? std::string_view() : target.substr(q + 1);
}

std::string_view pathOf(std::string_view target) {
  if (auto q = target.find('?'); q != std::string_view::npos) target = target.substr(0, q);
  while (target.size() > 1 && target.back() == '/') target.remove_suffix(1);
  return target;
}

}  // namespace

Error methodNotAllowed(std::string_view path) {
  Error e = Error::make(ErrorClass::kBadRequest, "Method not allowed on " + std::string(path) + ".",
                        {}, "method_not_allowed");
  e.status = 405;
  return e;
}

namespace {

constexpr std::string_view kPrometheusContentType = "text/plain; version=0.0.4; charset=utf-8";

// Answers that own what they send: handleRequest returns them after its own locals are gone.
Task<void> sendLocal(Responder& responder, int status, std::string body,
                     std::string_view contentType = "application/json") {
  co_await responder.send(status, std::move(body), contentType);
}

Task<void> refuse(Responder& responder, Error error, InboundFormat format) {
  co_await responder.sendError(error, format);
}

// GET /cache/stats, DELETE /cache: a flush waits for Redis when the cache has a Redis level.
Task<void> serveCacheAdmin(std::shared_ptr<const Snapshot> snapshot, bool stats, std::string query,
                           Responder& responder) {
  // Plain statements: GCC 12 mishandles temporaries of a co_await inside a conditional.
  Result<std::string> reply = std::string();
  if (stats) {
    reply = cacheStats(*snapshot);
  } else {
    reply = co_await flushCache(*snapshot, query);
  }
  if (!reply) {
    co_await refuse(responder, reply.error(), InboundFormat::kOpenAi);
    co_return;
  }
  co_await sendLocal(responder, 200, std::move(*reply));
}

}  // namespace

// Not a coroutine: it picks the route and returns the task that serves it, so that a proxied
// request runs in one coroutine frame fewer.
Task<void> handleRequest(Worker& worker, const std::shared_ptr<const Snapshot>& snapshot,
                         HttpRequest& request, TcpSocket& client, Responder& responder) {
  std::string requestId = requestIdFor(request["x-request-id"], worker.rng());
  responder.addHeader("x-request-id", requestId);
  if (worker.state().draining.load(std::memory_order_relaxed)) responder.setKeepAlive(false);

  const std::string_view path = pathOf(request.target());
  const Route* route = routeFor(*snapshot, path);
  if (route == nullptr) {
    return refuse(responder,
                  Error::make(ErrorClass::kNotFound,
                              "Unknown route: " + std::string(request.method_string()) + " " +
                                  std::string(path),
                              {}, "unknown_route"),
                  InboundFormat::kOpenAi);
  }
  std::optional<Error> refusal;
  if (route->method != http::verb::unknown && request.method() != route->method) {
    refusal = methodNotAllowed(path);
  } else if (route->auth != RouteAuth::kPipeline) {
    const std::string key = presentedKey(request);
    // The admin UI calls the master-key routes with its session cookie instead of a key.
    refusal = route->auth == RouteAuth::kMasterKey && key.empty() && hasSessionCookie(request)
                  ? authorizeBySession(worker.state().uiSessions, *snapshot, request)
                  : authorizeRoute(route->auth, *snapshot, key);
  }
  // count_tokens counts its refusals with its answers.
  if (route->serve == Serve::kCountTokens) {
    return countTokens(worker, snapshot, request, responder, requestId, std::move(refusal));
  }
  if (refusal) return refuse(responder, std::move(*refusal), route->format);

  switch (route->serve) {
    case Serve::kLiveness:
      return sendLocal(responder, 200, "\"I'm alive!\"");
    case Serve::kReadiness: {
      const bool draining = worker.state().draining.load(std::memory_order_relaxed);
      return sendLocal(responder, draining ? 503 : 200,
                       std::string(R"({"status":")") + (draining ? "draining" : "healthy") +
                           R"(","version":")" SWITCHYARD_VERSION R"("})");
    }
    case Serve::kMetrics:
      return sendLocal(responder, 200, worker.state().metrics.render(*snapshot),
                       kPrometheusContentType);
    case Serve::kHealth:
      return sendLocal(responder, 200, healthReportJson(*snapshot));
    case Serve::kModels:
      return sendLocal(responder, 200, modelsListJson(*snapshot));
    case Serve::kAdmin:
      return handleAdmin(*snapshot, request, responder, path);
    case Serve::kResponsesInputTokens:
      return responsesInputTokens(*snapshot, request, responder);
    case Serve::kTokenCounter:
      return tokenCounter(*snapshot, request, responder);
    case Serve::kModelInfo:
      return sendLocal(responder, 200, modelInfoJson(*snapshot, queryOf(request.target())));
    case Serve::kModelGroupInfo:
      return sendLocal(responder, 200, modelGroupInfoJson(*snapshot, queryOf(request.target())));
    case Serve::kCacheStats:
    case Serve::kCacheFlush: {
      const std::string_view target = request.target();
      const auto q = target.find('?');
      return serveCacheAdmin(
          snapshot, route->serve == Serve::kCacheStats,
          std::string(q == std::string_view::npos ? std::string_view() : target.substr(q + 1)),
          responder);
    }
    case Serve::kStoredResponse:
      return serveStoredResponse(worker, *snapshot, request, responder, path);
    case Serve::kUi:
      return serveUi(worker.state().uiSessions, *snapshot, request, responder, path);
    case Serve::kLiveLog:
      return streamLiveLog(worker, request, responder);
    case Serve::kCountTokens:
    case Serve::kModel:
      break;
  }
  return proxyRequest(worker, route->endpoint, request, snapshot, std::move(requestId), client,
                      responder, route->format);
}

}  // namespace switchyard
