#pragma once
// One worker thread: its own io_context, acceptor, upstream pool and RNG. Nothing here is
// shared with other workers, so the request path takes no locks.

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <thread>

#include "client/upstream_pool.hpp"
#include "config/snapshot_source.hpp"
#include "core/async.hpp"
#include "core/deadline.hpp"
#include "core/random.hpp"
#include "routing/attempt_env.hpp"
#include "server/client_connection.hpp"
#include "server/ui/ui_sessions.hpp"
#include "stages/stage.hpp"
#include "telemetry/live_log.hpp"
#include "telemetry/metrics_registry.hpp"
#include "telemetry/request_metrics.hpp"

namespace switchyard {

struct GatewayState {
  std::atomic<bool> draining{false};
  std::atomic<int> activeSessions{0};
  MetricsRegistry metrics;  // every worker's counters, for GET /metrics
  UiSessions uiSessions;    // the admin UI's logins (server/ui), shared by every worker
  LiveLog liveLog;          // GET /live/requests: finished requests, while someone watches
};

class Worker {
 public:
  Worker(unsigned index, const SnapshotSource& snapshots, GatewayState& state,
         std::shared_ptr<asio::ssl::context> tls);

  unsigned index() const { return index_; }
  asio::io_context& ioc() { return ioc_; }
  UpstreamPool& pool() { return pool_; }
  const Pipeline& pipeline() const { return pipeline_; }
  FastRandom& rng() { return rng_; }
  WorkerMetrics& metrics() { return metrics_; }
  GatewayState& state() { return state_; }
  const std::shared_ptr<const Snapshot>& snapshot() { return snapshots_.get(); }
  // What the executor's attempts use of this worker.
  AttemptEnv attemptEnv() { return {ioc_.get_executor(), pool_, pipeline_, rng_}; }

  // Binds the acceptor (SO_REUSEPORT, so every worker can listen on the same port).
  Result<uint16_t> listen(const asio::ip::tcp::endpoint& endpoint);
  void start();  // spawns the accept loop and the thread
  void join();
  // Called on the worker's own thread: stop accepting and close idle keep-alive connections.
  void beginDrain();
  void stop() { ioc_.stop(); }

  // Called on the worker's own thread once the drain timeout passed: closes every client
  // connection so the remaining sessions end.
  void closeAllSessions();

  // Every open client connection; idle ones are closed at once when draining starts.
  ClientConnectionList& sessions() { return sessions_; }
  // One sweep serves the worker's client connections and its upstream connections alike.
  DeadlineSweeper& deadlines() { return pool_.deadlines(); }

 private:
  Task<void> acceptLoop();

  // Declared before the io_context: coroutine frames still pending when it is destroyed
  // unlink themselves from this list.
  ClientConnectionList sessions_;
  unsigned index_;
  // One thread runs each io_context, so its reactor needs no locks; posting to it from other
  // threads (drain, stop) still locks the scheduler and stays safe.
  asio::io_context ioc_{BOOST_ASIO_CONCURRENCY_HINT_UNSAFE_IO};
  SnapshotCache snapshots_;
  GatewayState& state_;
  UpstreamPool pool_;
  Pipeline pipeline_;
  FastRandom rng_;
  WorkerMetrics metrics_;
  TcpAcceptor acceptor_;
  std::thread thread_;
};

}  // namespace switchyard
