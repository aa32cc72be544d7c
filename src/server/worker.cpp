#include "server/worker.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "core/async.hpp"
#include "core/log.hpp"
#include "server/http_session.hpp"

namespace switchyard {

Worker::Worker(unsigned index, const SnapshotSource& snapshots, GatewayState& state,
               std::shared_ptr<asio::ssl::context> tls)
    : index_(index),
      snapshots_(snapshots),
      state_(state),
      pool_(ioc_.get_executor(), std::move(tls)),
      pipeline_(makeDefaultPipeline()),
      rng_(FastRandom::seeded()),
      acceptor_(ioc_) {
  state_.metrics.addWorker(metrics_, pool_.stats());
}

Result<uint16_t> Worker::listen(const asio::ip::tcp::endpoint& endpoint) {
  boost::system::error_code ec;
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) {
    int one = 1;
    if (::setsockopt(acceptor_.native_handle(), SOL_SOCKET, SO_REUSEPORT, &one, sizeof one) != 0) {
      ec.assign(errno, boost::system::system_category());
    }
  }
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return Error::make(ErrorClass::kInternal, "cannot listen on " + endpoint.address().to_string() +
                                                  ":" + std::to_string(endpoint.port()) + ": " +
                                                  ec.message());
  }
  return acceptor_.local_endpoint().port();
}

void Worker::start() {
  asio::co_spawn(ioc_, acceptLoop(), asio::detached);
  thread_ = std::thread([this] {
    auto guard = asio::make_work_guard(ioc_);
    ioc_.run();
  });
}

void Worker::join() {
  if (thread_.joinable()) thread_.join();
}

Task<void> Worker::acceptLoop() {
  while (acceptor_.is_open()) {
    auto [ec, socket] = co_await acceptor_.async_accept(kUseTuple);
    if (ec == asio::error::operation_aborted || !acceptor_.is_open()) break;
    if (ec) {
      // Out of descriptors or a similar transient failure: back off briefly instead of spinning.
      logWarn("accept failed: " + ec.message());
      SteadyTimer t(ioc_, std::chrono::milliseconds(50));
      co_await t.async_wait(kUseTuple);
      continue;
    }
    asio::co_spawn(ioc_, runHttpSession(*this, std::move(socket)), asio::detached);
  }
}

void Worker::beginDrain() {
  boost::system::error_code ec;
  acceptor_.close(ec);
  for (auto& conn : sessions_) {
    if (conn.idle) conn.socket.close(ec);
  }
  pool_.closeAll();
}

}  // namespace switchyard

namespace switchyard {

void Worker::closeAllSessions() {
  boost::system::error_code ec;
  for (auto& conn : sessions_) conn.socket.close(ec);
}

}  // namespace switchyard
