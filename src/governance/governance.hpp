#pragma once
// Virtual keys, budgets and spend for the running gateway: the in-memory registry the request
// path checks, the batch writer that persists spend, the periodic refresh from the store (other
// instances and the CLI write there), and the admin operations.

#include <boost/asio/thread_pool.hpp>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "config/snapshot.hpp"
#include "governance/registry.hpp"
#include "store/spend_writer.hpp"

namespace switchyard {

struct AdminReply {
  int status = 200;
  std::string body;  // JSON
};

class Governance {
 public:
  // Opens the store named by the snapshot's database_url (creating and migrating it) and loads
  // every key, team and user.
  static Result<std::unique_ptr<Governance>> open(const Snapshot& snapshot);
  ~Governance();

  Registry& registry() { return registry_; }
  SpendWriter& writer() { return *writer_; }
  std::string_view backend() const { return backend_; }
  // Salted SHA-256 of a presented key, hex: the id keys are stored and found by.
  std::string hashKey(std::string_view key) const;

  // One admin API call (JSON in, JSON out). Blocks on the database: run it on adminPool().
  AdminReply admin(std::string_view method, std::string_view path, std::string_view query,
                   std::string_view body);
  boost::asio::thread_pool& adminPool() { return adminPool_; }

  // Re-reads keys, teams and users with their spend from the store.
  Result<void> refresh();
  // Writes all queued spend and stops the threads (SIGTERM).
  void stop();

 private:
  Governance(std::unique_ptr<Store> store, std::string salt, const GovernanceSettings& settings);
  void refreshLoop();
  // Waits until the next timed refresh is due, the store announces a change made by another
  // instance (PostgreSQL) or stop(); true when a change was announced.
  bool waitForChange(std::chrono::steady_clock::time_point due);
  std::string sha256Hex(std::string_view key) const;

  // The intervals of its threads, as the config that opened it set them. The request path reads
  // the other settings from its own snapshot.
  GovernanceSettings settings_;
  std::string backend_;
  std::string databaseUrl_;
  std::unique_ptr<Store> listener_;  // PostgreSQL: the LISTEN connection of the refresh thread
  bool listenerDown_ = false;        // its outage is logged once, not every retry
  std::string salt_;
  uint64_t generation_;    // tells the per-thread key-hash caches of two instances apart
  std::mutex storeMutex_;  // the admin / refresh connection
  std::unique_ptr<Store> store_;
  Registry registry_;
  std::unique_ptr<SpendWriter> writer_;
  boost::asio::thread_pool adminPool_{1};
  std::mutex stopMutex_;
  std::condition_variable stopWake_;
  bool stopped_ = false;
  std::thread refresher_;
};

// The admin API routes (/key/..., /team/..., /user/..., /spend/logs, /global/spend/report).
bool isAdminPath(std::string_view path);

// The one Governance of the process, opened by the first config that turns it on (a master key or
// a database_url) and shared by every later one: its store, live counters and queued spend
// outlive reloads. Owned by main, which stops it after the workers have stopped.
class GovernanceHost {
 public:
  // What a snapshot of this config points to: null when the config turns governance off.
  Result<std::shared_ptr<Governance>> forConfig(const Snapshot& snapshot);
  // Writes all queued spend and stops the threads.
  void stop();

 private:
  std::shared_ptr<Governance> running_;
  std::string databaseUrl_;  // the running one's
};

}  // namespace switchyard
