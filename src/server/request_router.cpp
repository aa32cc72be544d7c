#include "server/request_router.hpp"

#include <boost/beast/http.hpp>
#include <optional>

#include "api/openai/models_list.hpp"
#include "core/async.hpp"
#include "governance/governance.hpp"
#include "routing/health_report.hpp"
#include "server/admin_routes.hpp"
#include "server/count_tokens.hpp"
#include "server/proxy_handler.hpp"
#include "server/request_id.hpp"
#include "server/responder.hpp"
#include "server/worker.hpp"
#include "stages/auth/key_auth.hpp"
#include "stages/auth/master_key_auth.hpp"

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

struct ProxyRoute {
  std::string_view path;
  Endpoint endpoint;
};

constexpr ProxyRoute kProxyRoutes[] = {
    {"/v1/chat/completions", Endpoint::kChatCompletions},
    {"/chat/completions", Endpoint::kChatCompletions},
    {"/v1/completions", Endpoint::kCompletions},
    {"/completions", Endpoint::kCompletions},
    {"/v1/embeddings", Endpoint::kEmbeddings},
    {"/embeddings", Endpoint::kEmbeddings},
};

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

// What to answer for the routes the gateway serves itself.
struct LocalReply {
  int status = 200;
  std::string body;
  std::optional<Error> error;
  std::string_view contentType = "application/json";
};

std::optional<LocalReply> localReply(Worker& worker, const Snapshot& snapshot,
                                     const HttpRequest& request, std::string_view path) {
  const bool isGet = request.method() == http::verb::get;
  if (path == "/health/liveliness" || path == "/health/liveness") {
    if (!isGet) return LocalReply{0, {}, methodNotAllowed(path)};
    return LocalReply{200, "\"I'm alive!\"", std::nullopt};
  }
  if (path == "/health/readiness") {
    if (!isGet) return LocalReply{0, {}, methodNotAllowed(path)};
    const bool draining = worker.state().draining.load(std::memory_order_relaxed);
    return LocalReply{draining ? 503 : 200,
                      std::string(R"({"status":")") + (draining ? "draining" : "healthy") +
                          R"(","version":")" SWITCHYARD_VERSION R"("})",
                      std::nullopt};
  }
  if (path == "/metrics" && snapshot.server.telemetry.metrics) {
    if (!isGet) return LocalReply{0, {}, methodNotAllowed(path)};
    return LocalReply{200, worker.state().metrics.render(snapshot), std::nullopt,
                      kPrometheusContentType};
  }
  if (path == "/health") {
    if (!isGet) return LocalReply{0, {}, methodNotAllowed(path)};
    if (auto denied = checkMasterKey(snapshot, presentedKey(request))) {
      return LocalReply{0, {}, std::move(denied)};
    }
    return LocalReply{200, healthReportJson(snapshot), std::nullopt};
  }
  if (path == "/v1/models" || path == "/models") {
    if (!isGet) return LocalReply{0, {}, methodNotAllowed(path)};
    if (auto denied = checkGatewayKey(snapshot, presentedKey(request))) {
      return LocalReply{0, {}, std::move(denied)};
    }
    return LocalReply{200, modelsListJson(snapshot), std::nullopt};
  }
  return std::nullopt;
}

// Answers that own what they send: handleRequest returns them after its own locals are gone.
Task<void> sendLocalReply(Responder& responder, LocalReply reply) {
  if (reply.error) {
    co_await responder.sendError(*reply.error, InboundFormat::kOpenAi);
  } else {
    co_await responder.send(reply.status, std::move(reply.body), reply.contentType);
  }
}

Task<void> refuse(Responder& responder, Error error, InboundFormat format) {
  co_await responder.sendError(error, format);
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
  if (auto reply = localReply(worker, *snapshot, request, path)) {
    return sendLocalReply(responder, std::move(*reply));
  }
  if (isAdminPath(path)) return handleAdmin(*snapshot, request, responder, path);
  if (path == "/v1/messages/count_tokens") {
    // Refuses other methods itself, so that they are counted with its answers.
    return countTokens(worker, snapshot, request, responder, requestId);
  }
  if (path == "/v1/messages") {
    if (request.method() != http::verb::post) {
      return refuse(responder, methodNotAllowed(path), InboundFormat::kAnthropic);
    }
    return proxyRequest(worker, Endpoint::kChatCompletions, request, snapshot, std::move(requestId),
                        client, responder, InboundFormat::kAnthropic);
  }
  for (const auto& route : kProxyRoutes) {
    if (path != route.path) continue;
    if (request.method() != http::verb::post) {
      return refuse(responder, methodNotAllowed(path), InboundFormat::kOpenAi);
    }
    return proxyRequest(worker, route.endpoint, request, snapshot, std::move(requestId), client,
                        responder);
  }
  return refuse(responder,
                Error::make(ErrorClass::kNotFound,
                            "Unknown route: " + std::string(request.method_string()) + " " +
                                std::string(path),
                            {}, "unknown_route"),
                InboundFormat::kOpenAi);
}

}  // namespace switchyard
