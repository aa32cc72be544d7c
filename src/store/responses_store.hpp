#pragma once
// The stored Responses API responses of the process (POST /v1/responses with store not false):
// kept in memory, bounded by size (least recently used first out) and by age, and mirrored to
// the governance database (table sy_responses) by a writer thread of its own when there is one,
// so that a restart keeps them. Requests never wait on the database: they read and write the
// memory under one short lock; the writer persists what changed once per window.
//
// Every lookup names the owner (server/responses_owner.hpp): another owner's response is not
// found, exactly like one that does not exist.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

#include "config/responses_store_settings.hpp"
#include "store/store.hpp"

namespace switchyard {

class ResponsesStore {
 public:
  // `db`: a connection of its own for the writer thread, whose rows are loaded first (up to the
  // size bound, newest first); null: in memory only.
  static Result<std::shared_ptr<ResponsesStore>> open(ResponsesStoreLimits limits,
                                                      std::unique_ptr<Store> db,
                                                      std::chrono::milliseconds window);
  explicit ResponsesStore(ResponsesStoreLimits limits) : limits_(limits) {}
  ~ResponsesStore();
  ResponsesStore(const ResponsesStore&) = delete;
  ResponsesStore& operator=(const ResponsesStore&) = delete;

  // A reload's new bounds; a smaller size evicts at once.
  void setLimits(ResponsesStoreLimits limits, int64_t nowMs);
  ResponsesStoreLimits limits() const;
  bool persistent() const { return db_ != nullptr; }

  // Keeps `r` until now + ttl (replacing one with its id), evicting the least recently used
  // beyond the size bound. A response larger than the bound itself is not kept.
  void put(StoredResponse r, int64_t nowMs);
  // `id` if `owner` stored it and it has not expired (it becomes the most recently used).
  // `another`, when given, says whether another owner has it.
  std::shared_ptr<const StoredResponse> find(std::string_view id, std::string_view owner,
                                             int64_t nowMs, bool* another = nullptr);
  // Whether `owner` had `id` (and now has not).
  bool remove(std::string_view id, std::string_view owner, int64_t nowMs);

  size_t bytes() const;
  size_t size() const;
  // Writes what is queued and waits for it (tests, shutdown).
  void flush();
  void stop();

  static int64_t wallMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }

 private:
  using Entry = std::shared_ptr<const StoredResponse>;
  using Lru = std::list<Entry>;  // most recently used first

  void erase(Lru::iterator it, bool persist);  // mutex_ held
  void evict(int64_t nowMs);                   // mutex_ held
  void run();
  void writePending(std::unique_lock<std::mutex>& lock);

  mutable std::mutex mutex_;
  ResponsesStoreLimits limits_;
  Lru lru_;
  std::unordered_map<std::string_view, Lru::iterator> index_;  // views of the entries' ids
  size_t bytes_ = 0;
  int64_t nextSweepMs_ = 0;

  // Persistence: what changed since the last write, and the thread that writes it.
  std::unique_ptr<Store> db_;
  std::chrono::milliseconds window_{200};
  std::unordered_map<std::string, Entry> pendingPuts_;
  std::vector<std::string> pendingDeletes_;
  std::condition_variable wake_;
  std::condition_variable flushed_;
  uint64_t queued_ = 0;
  uint64_t written_ = 0;
  bool flushRequested_ = false;
  bool stopping_ = false;
  bool stopped_ = false;  // the writer wrote its last batch
  std::thread thread_;
};

}  // namespace switchyard
