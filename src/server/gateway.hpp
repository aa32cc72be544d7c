#pragma once
// The running gateway: N workers listening on one port, and the drain on shutdown.

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "server/worker.hpp"

namespace switchyard {

struct GatewayOptions {
  std::string host = "0.0.0.0";
  uint16_t port = 4000;
  unsigned workers = 1;
};

class Gateway {
 public:
  Gateway(const SnapshotSource& snapshots, GatewayOptions options);
  ~Gateway();

  // Binds every worker's acceptor; returns the port (useful with port 0).
  Result<uint16_t> listen();
  void start();
  // Stops accepting, closes idle connections, waits up to `timeout` for in-flight requests and
  // streams, then stops the workers. Returns how many sessions were still open at the end.
  int drainAndStop(std::chrono::milliseconds timeout);
  // Where scrape-time collectors (deployment health, cooldowns, drop counters) register.
  MetricsRegistry& metrics() { return state_.metrics; }

 private:
  GatewayOptions options_;
  GatewayState state_;
  std::vector<std::unique_ptr<Worker>> workers_;
  bool started_ = false;
  bool stopped_ = false;
};

}  // namespace switchyard
