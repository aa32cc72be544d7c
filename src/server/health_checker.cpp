#include "server/health_checker.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "api/request.hpp"
#include "core/async.hpp"
#include "routing/attempt_executor.hpp"
#include "routing/buffer_sink.hpp"
#include "routing/deployment_state.hpp"
#include "server/worker.hpp"

namespace switchyard {

namespace asio = boost::asio;

namespace {

// How often a disabled checker looks whether a reload enabled it.
constexpr std::chrono::seconds kIdlePoll{1};

// The smallest request the deployment serves: one token of chat, or one embedding.
ApiRequest pingRequest(const Deployment& d) {
  ApiRequest req;
  req.model = d.modelName;
  const auto* mode = d.modelInfo.if_contains("mode");
  if (mode && mode->is_string() && mode->get_string() == "embedding") {
    req.endpoint = Endpoint::kEmbeddings;
    req.editBody() = {{"model", d.modelName}, {"input", "ping"}};
  } else {
    req.editBody() = {{"model", d.modelName},
                      {"messages", boost::json::array{{{"role", "user"}, {"content", "ping"}}}},
                      {"max_tokens", 1}};
  }
  return req;
}

// The check's failure, or nullopt when the deployment answered. The probe is one attempt
// through the executor, so it is built, signed, sent, classified and decoded as a request is.
Task<std::optional<Error>> check(Worker& worker, const std::shared_ptr<const Snapshot>& snapshot,
                                 const Deployment& d) {
  RequestContext ctx;
  ctx.snapshot = snapshot;
  ctx.requestId = "health-check";
  ctx.request = pingRequest(d);
  const AttemptEnv env = worker.attemptEnv();
  BufferSink sink;
  AttemptResult r = co_await attemptOnce(env, ctx, d, sink);
  if (!r.answered) co_return std::move(r.error);
  co_return std::nullopt;
}

}  // namespace

Task<void> runBackgroundHealthChecks(Worker& worker) {
  SteadyTimer timer(worker.ioc());
  while (!worker.state().draining.load(std::memory_order_relaxed)) {
    const std::shared_ptr<const Snapshot> snapshot = worker.snapshot();
    const RouterSettings& settings = snapshot->router;
    if (settings.backgroundHealthChecks) {
      for (const auto& d : snapshot->deployments) {
        if (worker.state().draining.load(std::memory_order_relaxed)) co_return;
        const std::optional<Error> failure = co_await check(worker, snapshot, *d);
        const auto group = snapshot->groups.find(d->modelName);
        const bool canCoolDown = group != snapshot->groups.end() && group->second.size() > 1;
        deploymentState(*d).healthChecked(RouterClock::now(), failure ? &*failure : nullptr,
                                          settings, canCoolDown);
      }
    }
    timer.expires_after(
        settings.backgroundHealthChecks
            ? std::chrono::duration_cast<RouterClock::duration>(settings.healthCheckInterval)
            : RouterClock::duration(kIdlePoll));
    co_await timer.async_wait(kUseTuple);
  }
}

}  // namespace switchyard
