#pragma once
// Per-worker pool of keep-alive upstream connections, keyed by origin, with a small DNS cache.
// Owned by one worker thread: no locks.

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <chrono>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "client/upstream_connection.hpp"
#include "core/async.hpp"
#include "core/error.hpp"
#include "core/url.hpp"
#include "telemetry/pool_stats.hpp"

namespace switchyard {

struct PoolSettings {
  size_t maxIdlePerOrigin = 512;
  std::chrono::seconds idleTimeout{50};  // below common server keep-alive limits (60-75 s)
  std::chrono::seconds dnsTtl{60};
  std::chrono::milliseconds connectTimeout{10'000};
  // SO_SNDBUF of new connections; 0 leaves the system's. The trace exporter's pool sets room for
  // a whole batch, which the kernel then sends as the collector takes it, instead of the
  // exporter waking up once per window to hand over the next piece.
  int sendBufferBytes = 0;
};

class UpstreamPool {
 public:
  UpstreamPool(Executor ex, std::shared_ptr<asio::ssl::context> tls, PoolSettings settings = {});

  // An idle connection to the URL's origin, when one is ready (no waiting), else null.
  std::unique_ptr<UpstreamConnection> takeIdle(const Url& url);
  // A new connected (and TLS-handshaken) connection, never a pooled one.
  Task<Result<std::unique_ptr<UpstreamConnection>>> connect(const Url& url);
  // Returns a connection whose last response was read completely and allows keep-alive.
  void release(std::unique_ptr<UpstreamConnection> conn);

  const PoolStats& stats() const { return stats_; }
  DeadlineSweeper& deadlines() { return deadlines_; }
  void closeAll();

 private:
  Task<Result<TcpResolver::results_type>> resolve(const Url& url);

  struct DnsEntry {
    TcpResolver::results_type results;
    std::chrono::steady_clock::time_point expires;
  };

  Executor ex_;
  std::shared_ptr<asio::ssl::context> tls_;
  PoolSettings settings_;
  TcpResolver resolver_;
  // For every connection of this pool (and of the worker that owns the pool); declared before
  // the connections so that it outlives them.
  DeadlineSweeper deadlines_;
  std::unordered_map<std::string, std::vector<std::unique_ptr<UpstreamConnection>>> idle_;
  std::unordered_map<std::string, DnsEntry> dns_;
  PoolStats stats_;
};

// A TLS client context that verifies certificates against the system CA bundle.
std::shared_ptr<asio::ssl::context> makeClientTlsContext();
// The same against the CA certificates of a PEM file instead (an https trace collector's
// otel_certificate); the system's when `caFile` is empty. An error when the file cannot be read.
Result<std::shared_ptr<asio::ssl::context>> makeClientTlsContext(const std::string& caFile);

}  // namespace switchyard
