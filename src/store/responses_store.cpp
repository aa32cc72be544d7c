#include "store/responses_store.hpp"

#include "core/log.hpp"

namespace switchyard {

namespace {
// How often expired entries are swept out of memory (a lookup drops an expired one at once).
constexpr int64_t kSweepEveryMs = 60'000;
}  // namespace

Result<std::shared_ptr<ResponsesStore>> ResponsesStore::open(ResponsesStoreLimits limits,
                                                             std::unique_ptr<Store> db,
                                                             std::chrono::milliseconds window) {
  auto store = std::make_shared<ResponsesStore>(limits);
  if (!db) return store;
  const int64_t now = wallMs();
  auto rows = db->loadResponses(now, limits.maxBytes);
  if (!rows) return rows.error();
  // Newest first: each goes behind the ones before it, so the newest is the most recently used.
  for (auto& r : *rows) {
    auto entry = std::make_shared<const StoredResponse>(std::move(r));
    store->bytes_ += entry->bytes();
    store->lru_.push_back(std::move(entry));
    store->index_.emplace(store->lru_.back()->id, std::prev(store->lru_.end()));
  }
  store->db_ = std::move(db);
  store->window_ = window;
  store->thread_ = std::thread([raw = store.get()] { raw->run(); });
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

void ResponsesStore::erase(Lru::iterator it, bool persist) {
  const Entry& e = *it;
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
      if ((*it)->expiresAt <= nowMs) erase(it, false);
      it = next;
    }
  }
  while (bytes_ > limits_.maxBytes && !lru_.empty()) erase(std::prev(lru_.end()), true);
}

void ResponsesStore::put(StoredResponse r, int64_t nowMs) {
  const ResponsesStoreLimits limits = this->limits();
  if (r.bytes() > limits.maxBytes) return;
  r.expiresAt = nowMs + limits.ttlMs;
  auto entry = std::make_shared<const StoredResponse>(std::move(r));
  std::lock_guard lock(mutex_);
  if (auto old = index_.find(entry->id); old != index_.end()) erase(old->second, true);
  bytes_ += entry->bytes();
  lru_.push_front(entry);
  index_.emplace(entry->id, lru_.begin());
  if (db_) {
    pendingPuts_[entry->id] = entry;
    ++queued_;
  }
  evict(nowMs);
  if (db_) wake_.notify_one();
}

std::shared_ptr<const StoredResponse> ResponsesStore::find(std::string_view id,
                                                           std::string_view owner, int64_t nowMs,
                                                           bool* another) {
  if (another) *another = false;
  std::lock_guard lock(mutex_);
  auto it = index_.find(id);
  if (it == index_.end()) return nullptr;
  const Entry& e = *it->second;
  if (e->expiresAt <= nowMs) {
    erase(it->second, false);
    return nullptr;
  }
  if (e->owner != owner) {
    if (another) *another = true;
    return nullptr;
  }
  lru_.splice(lru_.begin(), lru_, it->second);
  return *lru_.begin();
}

bool ResponsesStore::remove(std::string_view id, std::string_view owner, int64_t nowMs) {
  std::lock_guard lock(mutex_);
  auto it = index_.find(id);
  if (it == index_.end()) return false;
  const Entry& e = *it->second;
  if (e->owner != owner) return false;
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
  for (auto& [id, entry] : pendingPuts_) entries.push_back(std::move(entry));
  std::vector<std::string> deletes = std::move(pendingDeletes_);
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
  written_ = upTo;
  flushed_.notify_all();
}

}  // namespace switchyard
