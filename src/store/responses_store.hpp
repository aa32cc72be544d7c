#pragma once
// The stored Responses API responses of the process (POST /v1/responses with store not false):
// kept in memory, bounded by size (least recently used first out) and by age, and mirrored to
// the governance database (table sy_responses) by a writer thread of its own when there is one,
// so that a restart keeps them. Requests write the memory under one short lock; the writer
// persists what changed once per window.
//
// With a database, the memory is also a cache of the table, which other instances write too:
// lookup() reads a response this instance does not hold from the table (on a reader thread of
// its own, never on the caller's), and on PostgreSQL, the store instances share, confirms one it
// holds that another instance may have deleted.
//
// Every lookup names the caller (server/responses_state.hpp): a response it may not use is not
// found, exactly like one that does not exist.

#include <boost/asio/thread_pool.hpp>
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
#include <unordered_set>
#include <vector>

#include "config/responses_store_settings.hpp"
#include "core/async.hpp"
#include "store/store.hpp"

namespace switchyard {

// What ResponsesStore::lookup found.
struct ResponsesLookup {
  std::shared_ptr<const StoredResponse> found;  // the caller's (or one it may use)
  bool another = false;                         // exists, but the caller may not use it
  std::optional<Error> error;                   // the database could not be read
};

class ResponsesStore {
 public:
  // `db`: a connection of its own for the writer thread, whose rows are loaded first (up to the
  // size bound, newest first); null: in memory only. `reader`: another connection to the same
  // database, for lookup(); null: lookups read the memory only.
  static Result<std::shared_ptr<ResponsesStore>> open(ResponsesStoreLimits limits,
                                                      std::unique_ptr<Store> db,
                                                      std::chrono::milliseconds window,
                                                      std::unique_ptr<Store> reader = nullptr);
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
  // `id` from memory, if the caller may use it (responses_store_scope) and it has not expired (it
  // becomes the most recently used). `another`, when given, says whether it is there for others.
  std::shared_ptr<const StoredResponse> find(std::string_view id, const ResponsesCaller& caller,
                                             int64_t nowMs, bool* another = nullptr);
  std::shared_ptr<const StoredResponse> find(std::string_view id, std::string_view owner,
                                             int64_t nowMs, bool* another = nullptr) {
    return find(id, ResponsesCaller{std::string(owner), {}}, nowMs, another);
  }
  // find(), and with a database what memory does not settle: a response not held here is read
  // from the table (and kept in memory, as a copy that leaves the memory only); on PostgreSQL a
  // response held here and already written is confirmed in the table, and one not there yet is
  // read again after a write window (another instance may be about to write it). The caller's
  // coroutine waits; its thread does not.
  Task<ResponsesLookup> lookup(std::string id, ResponsesCaller caller);
  // Whether the caller had `id` (and now has not).
  bool remove(std::string_view id, const ResponsesCaller& caller, int64_t nowMs);
  bool remove(std::string_view id, std::string_view owner, int64_t nowMs) {
    return remove(id, ResponsesCaller{std::string(owner), {}}, nowMs);
  }

  size_t bytes() const;
  size_t size() const;
  // Writes what is queued and waits for it (tests, shutdown).
  void flush();
  // Writes what is queued and stops the writer and the reader.
  void stop();

  static int64_t wallMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }

 private:
  using Entry = std::shared_ptr<const StoredResponse>;
  struct Slot {
    Entry entry;
    // Read from the table (another instance's, or one not loaded at start): its eviction from
    // memory leaves the table as it is.
    bool copy = false;
  };
  using Lru = std::list<Slot>;  // most recently used first

  bool mayUse(const StoredResponse& r, const ResponsesCaller& caller) const;  // mutex_ held
  bool unwritten(const std::string& id) const;                                // mutex_ held
  bool deletedUnwritten(const std::string& id) const;                         // mutex_ held
  void erase(Lru::iterator it, bool persist);                                 // mutex_ held
  void evict(int64_t nowMs);                                                  // mutex_ held
  // Keeps a row read from the table in memory; the entry kept (one put meanwhile wins), null
  // when this instance deleted it and the table does not know yet.
  Entry adopt(StoredResponse r, int64_t nowMs);
  // The row `id` from the reader's connection, on the reader's thread.
  struct Row {
    std::optional<StoredResponse> row;
    std::string error;  // non-empty: the read failed
  };
  Task<Row> readRow(std::string id);
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
  std::unordered_set<std::string> writing_;         // the puts of the batch being written
  std::unordered_set<std::string> writingDeletes_;  // and its deletes
  std::vector<std::string> pendingDeletes_;
  std::condition_variable wake_;
  std::condition_variable flushed_;
  uint64_t queued_ = 0;
  uint64_t written_ = 0;
  bool flushRequested_ = false;
  bool stopping_ = false;
  bool stopped_ = false;  // the writer wrote its last batch
  std::thread thread_;

  // Lookups in the table: a connection and the one thread that uses it.
  std::unique_ptr<Store> reader_;
  std::unique_ptr<boost::asio::thread_pool> readerPool_;
  bool shared_ = false;  // PostgreSQL: other instances write the table too
};

}  // namespace switchyard
