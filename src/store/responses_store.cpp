#include "store/responses_store.hpp"

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/this_coro.hpp>

#include "core/log.hpp"

namespace switchyard {

namespace asio = boost::asio;

namespace {
// How often expired entries are swept out of memory (a lookup drops an expired one at once).
constexpr int64_t kSweepEveryMs = 60'000;
// Beyond the writer's window, what a batch takes to commit.
constexpr std::chrono::milliseconds kCommitAllowance{100};
}  // namespace

Result<std::shared_ptr<ResponsesStore>> ResponsesStore::open(ResponsesStoreLimits limits,
                                                             std::unique_ptr<Store> db,
                                                             std::chrono::milliseconds window,
                                                             std::unique_ptr<Store> reader) {
  auto store = std::make_shared<ResponsesStore>(limits);
  if (!db) return store;
  const int64_t now = wallMs();
  auto rows = db->loadResponses(now, limits.maxBytes);
  if (!rows) return rows.error();
  // Newest first: each goes behind the ones before it, so the newest is the most recently used.
  for (auto& r : *rows) {
    auto entry = std::make_shared<const StoredResponse>(std::move(r));
    store->bytes_ += entry->bytes();
    store->lru_.push_back(Slot{std::move(entry)});
    store->index_.emplace(store->lru_.back().entry->id, std::prev(store->lru_.end()));
  }
  store->shared_ = db->backend() == "postgresql";
  store->db_ = std::move(db);
  store->window_ = window;
  store->thread_ = std::thread([raw = store.get()] { raw->run(); });
  if (reader) {
    store->reader_ = std::move(reader);
    store->readerPool_ = std::make_unique<asio::thread_pool>(1);
  }
  return store;
}

ResponsesStore::~ResponsesStore() { stop(); }

void ResponsesStore::setLimits(ResponsesStoreLimits limits, int64_t nowMs) {
  std::lock_guard lock(mutex_);
  limits_ = limits;
  evict(nowMs);
}

ResponsesStoreLimits ResponsesStore::limits() const {
  std::lock_guard lock(mutex_);
  return limits_;
}

bool ResponsesStore::mayUse(const StoredResponse& r, const ResponsesCaller& caller) const {
  if (limits_.scope == ResponsesScope::kGlobal || r.owner == caller.owner) return true;
  return limits_.scope == ResponsesScope::kTeam && !r.team.empty() && r.team == caller.team;
}

bool ResponsesStore::unwritten(const std::string& id) const {
  return pendingPuts_.contains(id) || writing_.contains(id);
}

bool ResponsesStore::deletedUnwritten(const std::string& id) const {
  return writingDeletes_.contains(id) ||
         std::find(pendingDeletes_.begin(), pendingDeletes_.end(), id) != pendingDeletes_.end();
}

void ResponsesStore::erase(Lru::iterator it, bool persist) {
  const Entry& e = it->entry;
  bytes_ -= e->bytes();
  if (db_) {
    // A put not written yet needs no delete; one written does (expired rows the writer prunes).
    if (pendingPuts_.erase(e->id) == 0 && persist) {
      pendingDeletes_.push_back(e->id);
      ++queued_;
    }
  }
  index_.erase(e->id);
  lru_.erase(it);
}

void ResponsesStore::evict(int64_t nowMs) {
  if (nowMs >= nextSweepMs_) {
    nextSweepMs_ = nowMs + kSweepEveryMs;
    for (auto it = lru_.begin(); it != lru_.end();) {
      auto next = std::next(it);
      if (it->entry->expiresAt <= nowMs) erase(it, false);
      it = next;
    }
  }
  while (bytes_ > limits_.maxBytes && !lru_.empty()) {
    auto last = std::prev(lru_.end());
    erase(last, !last->copy);
  }
}

void ResponsesStore::put(StoredResponse r, int64_t nowMs) {
  const ResponsesStoreLimits limits = this->limits();
  if (r.bytes() > limits.maxBytes) return;
  r.expiresAt = nowMs + limits.ttlMs;
  auto entry = std::make_shared<const StoredResponse>(std::move(r));
  std::lock_guard lock(mutex_);
  if (auto old = index_.find(entry->id); old != index_.end()) erase(old->second, true);
  bytes_ += entry->bytes();
  lru_.push_front(Slot{entry});
  index_.emplace(entry->id, lru_.begin());
  if (db_) {
    pendingPuts_[entry->id] = entry;
    ++queued_;
  }
  evict(nowMs);
  if (db_) wake_.notify_one();
}

std::shared_ptr<const StoredResponse> ResponsesStore::find(std::string_view id,
                                                           const ResponsesCaller& caller,
                                                           int64_t nowMs, bool* another) {
  if (another) *another = false;
  std::lock_guard lock(mutex_);
  auto it = index_.find(id);
  if (it == index_.end()) return nullptr;
  const Entry& e = it->second->entry;
  if (e->expiresAt <= nowMs) {
    erase(it->second, false);
    return nullptr;
  }
  if (!mayUse(*e, caller)) {
    if (another) *another = true;
    return nullptr;
  }
  lru_.splice(lru_.begin(), lru_, it->second);
  return lru_.begin()->entry;
}

ResponsesStore::Entry ResponsesStore::adopt(StoredResponse r, int64_t nowMs) {
  auto entry = std::make_shared<const StoredResponse>(std::move(r));
  std::lock_guard lock(mutex_);
  if (deletedUnwritten(entry->id)) return nullptr;
  if (auto held = index_.find(entry->id); held != index_.end()) {
    // What this instance holds is at least as new as the row: a put since, or the same row.
    if (unwritten(entry->id)) return held->second->entry;
    erase(held->second, false);
  }
  if (entry->bytes() > limits_.maxBytes) return entry;
  bytes_ += entry->bytes();
  lru_.push_front(Slot{entry, true});
  index_.emplace(entry->id, lru_.begin());
  evict(nowMs);
  return entry;
}

Task<ResponsesStore::Row> ResponsesStore::readRow(std::string id) {
  // On the reader's thread, so the coroutine has the pool's executor type, not a worker's.
  return asio::co_spawn(
      *readerPool_,
      [this, id = std::move(id)]() -> asio::awaitable<Row> {
        Row out;
        auto r = reader_->loadResponse(id, wallMs());
        if (r) {
          out.row = std::move(*r);
        } else {
          out.error = r.error().message;
        }
        co_return out;
      },
      kUseAwaitable);
}

Task<ResponsesLookup> ResponsesStore::lookup(std::string id, ResponsesCaller caller) {
  ResponsesLookup out;
  bool held = false;
  {
    const int64_t now = wallMs();
    std::lock_guard lock(mutex_);
    if (auto it = index_.find(id); it != index_.end()) {
      const Entry& e = it->second->entry;
      if (e->expiresAt <= now) {
        erase(it->second, false);
      } else if (!mayUse(*e, caller)) {
        // Ids are random and a response keeps its owner: no need to ask the table.
        out.another = true;
        co_return out;
      } else {
        lru_.splice(lru_.begin(), lru_, it->second);
        out.found = lru_.begin()->entry;
        // Only PostgreSQL's table is written by other instances, who may have deleted it.
        if (!reader_ || !shared_ || unwritten(id)) co_return out;
        held = true;
      }
    }
    // Deleted here a moment ago: the table may not know yet.
    if (!held && deletedUnwritten(id)) co_return out;
  }
  if (!reader_) co_return out;
  for (int attempt = 0;; ++attempt) {
    Row read = co_await readRow(id);
    if (!read.error.empty()) {
      logWarn("stored responses: reading " + id + " failed: " + read.error);
      out.found = nullptr;
      out.error = Error::make(ErrorClass::kUnavailable,
                              "The stored responses cannot be read now; try again.", {},
                              "store_unavailable");
      co_return out;
    }
    const int64_t now = wallMs();
    if (read.row) {
      if (held) co_return out;  // still there: the entry this instance holds is the one
      Entry entry = adopt(std::move(*read.row), now);
      if (!entry) co_return out;
      std::lock_guard lock(mutex_);
      out.found = mayUse(*entry, caller) ? entry : nullptr;
      out.another = !out.found;
      co_return out;
    }
    if (held) {
      // Deleted (or expired) by another instance since this one wrote it.
      std::lock_guard lock(mutex_);
      if (auto it = index_.find(id); it != index_.end() && !unwritten(id)) {
        erase(it->second, false);
      }
      out.found = nullptr;
      co_return out;
    }
    if (!shared_ || attempt > 0) co_return out;
    // Another instance may have answered it a moment ago: its writer commits within a window.
    SteadyTimer timer(co_await asio::this_coro::executor, window_ + kCommitAllowance);
    co_await timer.async_wait(kUseTuple);
  }
}

bool ResponsesStore::remove(std::string_view id, const ResponsesCaller& caller, int64_t nowMs) {
  std::lock_guard lock(mutex_);
  auto it = index_.find(id);
  if (it == index_.end()) return false;
  const Entry& e = it->second->entry;
  if (!mayUse(*e, caller)) return false;
  const bool live = e->expiresAt > nowMs;
  erase(it->second, true);
  if (db_) wake_.notify_one();
  return live;
}

size_t ResponsesStore::bytes() const {
  std::lock_guard lock(mutex_);
  return bytes_;
}

size_t ResponsesStore::size() const {
  std::lock_guard lock(mutex_);
  return lru_.size();
}

void ResponsesStore::flush() {
  if (!db_) return;
  std::unique_lock lock(mutex_);
  const uint64_t target = queued_;
  flushRequested_ = true;
  wake_.notify_one();
  flushed_.wait(lock, [&] { return written_ >= target || stopped_; });
}

void ResponsesStore::stop() {
  if (readerPool_) readerPool_->join();
  {
    std::lock_guard lock(mutex_);
    if (!thread_.joinable()) return;
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

void ResponsesStore::run() {
  std::unique_lock lock(mutex_);
  while (true) {
    wake_.wait(lock, [&] { return stopping_ || flushRequested_ || queued_ > written_; });
    // Gather a window's changes into one transaction, unless someone waits for them.
    if (!stopping_ && !flushRequested_) wake_.wait_for(lock, window_, [&] { return stopping_; });
    writePending(lock);
    if (stopping_) {
      writePending(lock);  // what came in while the last batch was written
      stopped_ = true;
      flushed_.notify_all();
      return;
    }
  }
}

void ResponsesStore::writePending(std::unique_lock<std::mutex>& lock) {
  std::vector<Entry> entries;
  entries.reserve(pendingPuts_.size());
  for (auto& [id, entry] : pendingPuts_) {
    writing_.insert(id);
    entries.push_back(std::move(entry));
  }
  std::vector<std::string> deletes = std::move(pendingDeletes_);
  writingDeletes_.insert(deletes.begin(), deletes.end());
  pendingPuts_.clear();
  pendingDeletes_.clear();
  const uint64_t upTo = queued_;
  flushRequested_ = false;
  lock.unlock();
  // Copied outside the lock: requests never wait for the texts of a batch.
  std::vector<StoredResponse> puts;
  puts.reserve(entries.size());
  for (const auto& e : entries) puts.push_back(*e);
  if (!puts.empty() || !deletes.empty()) {
    if (auto r = db_->writeResponses(puts, deletes, wallMs()); !r) {
      logWarn("stored responses: " + std::to_string(puts.size()) + " writes and " +
              std::to_string(deletes.size()) + " deletes lost: " + r.error().message);
    }
  }
  lock.lock();
  writing_.clear();
  writingDeletes_.clear();
  written_ = upTo;
  flushed_.notify_all();
}

}  // namespace switchyard
