#include "routing/upstream_call.hpp"

#include "client/upstream_exchange.hpp"

namespace switchyard {

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
