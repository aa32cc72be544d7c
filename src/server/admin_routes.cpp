#include "server/admin_routes.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "core/async.hpp"
#include "governance/governance.hpp"
#include "server/responder.hpp"

namespace switchyard {

namespace asio = boost::asio;

Task<void> handleAdmin(const Snapshot& snapshot, HttpRequest& request, Responder& responder,
                       std::string_view path) {
  Governance* g = snapshot.governanceService.get();
  if (!g || snapshot.masterKey.empty()) {
    Error e = Error::make(ErrorClass::kNotFound,
                          "The admin API needs general_settings.master_key (and a store).", {},
                          "admin_disabled");
    co_await responder.sendError(e, InboundFormat::kOpenAi);
    co_return;
  }
  const std::string_view target = request.target();
  const auto q = target.find('?');
  const std::string query(q == std::string_view::npos ? std::string_view() : target.substr(q + 1));
  const std::string method(request.method_string());
  const std::string adminPath(path);
  const std::string& body = request.body();
  auto work = asio::co_spawn(
      g->adminPool(),
      // On the pool's thread, so the coroutine has the pool's executor type, not a worker's.
      [&]() -> asio::awaitable<AdminReply> { co_return g->admin(method, adminPath, query, body); },
      kUseAwaitable);
  AdminReply reply = co_await std::move(work);
  co_await responder.send(reply.status, std::move(reply.body));
}

}  // namespace switchyard
