#include "server/request_router.hpp"

#include <boost/beast/http.hpp>

#include "api/openai/models_list.hpp"
#include "server/proxy_handler.hpp"
#include "server/request_id.hpp"
#include "server/responder.hpp"
#include "server/worker.hpp"
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

Error methodNotAllowed(std::string_view path) {
  Error e = Error::make(ErrorClass::kBadRequest,
                        "Method not allowed on " + std::string(path) + ".", {}, "method_not_allowed");
  e.status = 405;
  return e;
}

std::string_view pathOf(std::string_view target) {
  if (auto q = target.find('?'); q != std::string_view::npos) target = target.substr(0, q);
  while (target.size() > 1 && target.back() == '/') target.remove_suffix(1);
  return target;
}

}  // namespace

asio::awaitable<void> handleRequest(Worker& worker, const std::shared_ptr<const Snapshot>& snapshot,
                                    HttpRequest& request, boost::beast::tcp_stream& stream,
                                    boost::beast::flat_buffer& buffer, Responder& responder) {
  const std::string requestId = requestIdFor(request["x-request-id"], worker.rng());
  responder.addHeader("x-request-id", requestId);
  if (worker.state().draining.load(std::memory_order_relaxed)) responder.setKeepAlive(false);

  const std::string_view path = pathOf(request.target());
  const bool isGet = request.method() == http::verb::get;
  const bool isPost = request.method() == http::verb::post;

  if (path == "/health/liveliness" || path == "/health/liveness") {
    if (!isGet) co_return void(co_await responder.sendError(methodNotAllowed(path), InboundFormat::kOpenAi));
    co_return void(co_await responder.send(200, "\"I'm alive!\""));
  }
  if (path == "/health/readiness") {
    if (!isGet) co_return void(co_await responder.sendError(methodNotAllowed(path), InboundFormat::kOpenAi));
    const bool draining = worker.state().draining.load(std::memory_order_relaxed);
    co_return void(co_await responder.send(
        draining ? 503 : 200,
        std::string(R"({"status":")") + (draining ? "draining" : "healthy") +
            R"(","version":")" SWITCHYARD_VERSION R"("})"));
  }
  if (path == "/v1/models" || path == "/models") {
    if (!isGet) co_return void(co_await responder.sendError(methodNotAllowed(path), InboundFormat::kOpenAi));
    if (auto denied = checkMasterKey(*snapshot, presentedKey(request))) {
      co_return void(co_await responder.sendError(*denied, InboundFormat::kOpenAi));
    }
    co_return void(co_await responder.send(200, modelsListJson(*snapshot)));
  }
  for (const auto& route : kProxyRoutes) {
    if (path != route.path) continue;
    if (!isPost) co_return void(co_await responder.sendError(methodNotAllowed(path), InboundFormat::kOpenAi));
    RequestContext ctx;
    ctx.snapshot = snapshot;
    ctx.requestId = requestId;
    ctx.presentedKey = presentedKey(request);
    co_await proxyRequest(worker, route.endpoint, request.body(), ctx, stream, buffer, responder);
    co_return;
  }
  co_await responder.sendError(
      Error::make(ErrorClass::kNotFound, "Unknown route: " + std::string(request.method_string()) +
                                             " " + std::string(path),
                  {}, "unknown_route"),
      InboundFormat::kOpenAi);
}

}  // namespace switchyard
