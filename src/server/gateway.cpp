#include "server/gateway.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <thread>

#include "server/health_checker.hpp"

namespace switchyard {

Gateway::Gateway(const SnapshotSource& snapshots, GatewayOptions options)
    : options_(std::move(options)) {
  auto tls = makeClientTlsContext();
  const unsigned n = std::max(1u, options_.workers);
  for (unsigned i = 0; i < n; ++i) {
    workers_.push_back(std::make_unique<Worker>(i, snapshots, state_, tls));
  }
}

Gateway::~Gateway() {
  if (started_ && !stopped_) drainAndStop(std::chrono::milliseconds(0));
}

Result<uint16_t> Gateway::listen() {
  boost::system::error_code ec;
  auto address = asio::ip::make_address(options_.host, ec);
  if (ec) {
    return Error::make(ErrorClass::kBadRequest, "not an IP address to listen on: " + options_.host);
  }
  uint16_t port = options_.port;
  for (auto& w : workers_) {
    // The first worker may pick an ephemeral port; the others join it there.
    auto bound = w->listen(asio::ip::tcp::endpoint(address, port));
    if (!bound) return bound.error();
    port = *bound;
  }
  return port;
}

void Gateway::start() {
  // One checker for the process: deployment state is shared by all workers.
  asio::co_spawn(workers_.front()->ioc(), runBackgroundHealthChecks(*workers_.front()),
                 asio::detached);
  for (auto& w : workers_) w->start();
  started_ = true;
}

int Gateway::drainAndStop(std::chrono::milliseconds timeout) {
  state_.draining.store(true);
  for (auto& w : workers_) {
    asio::post(w->ioc(), [worker = w.get()] { worker->beginDrain(); });
  }
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (state_.activeSessions.load() > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  const int left = state_.activeSessions.load();
  if (left > 0) {
    // Past the grace period: cut the remaining connections and give their coroutines a moment
    // to unwind before the workers stop.
    for (auto& w : workers_) {
      asio::post(w->ioc(), [worker = w.get()] { worker->closeAllSessions(); });
    }
    const auto cut = std::chrono::steady_clock::now() + std::chrono::seconds(2);
    while (state_.activeSessions.load() > 0 && std::chrono::steady_clock::now() < cut) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  for (auto& w : workers_) w->stop();
  for (auto& w : workers_) w->join();
  stopped_ = true;
  return left;
}

}  // namespace switchyard
