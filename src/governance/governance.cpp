#include "governance/governance.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <atomic>
#include <unordered_map>

#include "core/log.hpp"

namespace switchyard {

namespace {
std::atomic<uint64_t> gGenerations{0};
}  // namespace

Result<std::shared_ptr<Governance>> GovernanceHost::forConfig(const Snapshot& snapshot) {
  if (snapshot.masterKey.empty() && snapshot.databaseUrl.empty()) {
    return std::shared_ptr<Governance>();
  }
  if (running_) {
    if (snapshot.databaseUrl != databaseUrl_) {
      logWarn("general_settings.database_url changed: the running store stays until a restart");
    }
    return running_;
  }
  auto g = Governance::open(snapshot);
  if (!g) return g.error();
  running_ = std::move(*g);
  databaseUrl_ = snapshot.databaseUrl;
  logInfo(std::string("virtual keys and spend: ") + std::string(running_->backend()) + " store");
  return running_;
}

void GovernanceHost::stop() {
  if (running_) running_->stop();
}

Result<std::unique_ptr<Governance>> Governance::open(const Snapshot& snapshot) {
  auto store = openStore(snapshot.databaseUrl);
  if (!store) return store.error();
  auto salt = (*store)->keySalt();
  if (!salt) return salt.error();
  auto writerStore = openStore(snapshot.databaseUrl);
  if (!writerStore) return writerStore.error();
  std::unique_ptr<Governance> g(new Governance(std::move(*store), *salt, snapshot.governance));
  g->databaseUrl_ = snapshot.databaseUrl;
  Registry& registry = g->registry_;
  const GovernanceSettings& gs = snapshot.governance;
  SpendWriter::Options writing;
  writing.window = gs.flushInterval;
  writing.logRows = !gs.disableSpendLogs;
  writing.retention = gs.spendLogsRetention;
  writing.maxRows = gs.spendLogsMaxRows;
  writing.retentionInterval = gs.spendLogsRetentionInterval;
  g->writer_ = std::make_unique<SpendWriter>(
      std::move(*writerStore), writing,
      [&registry](const std::vector<SpendDelta>& d) { registry.onFlushed(d); });
  if (auto r = g->refresh(); !r) return r.error();
  g->refresher_ = std::thread([raw = g.get()] { raw->refreshLoop(); });
  return g;
}

Governance::Governance(std::unique_ptr<Store> store, std::string salt,
                       const GovernanceSettings& settings)
    : settings_(settings),
      backend_(store->backend()),
      salt_(std::move(salt)),
      generation_(++gGenerations),
      store_(std::move(store)),
      registry_([this](const BudgetReset& r) { writer_->reset(r); }) {}

Governance::~Governance() { stop(); }

std::string Governance::hashKey(std::string_view key) const {
  // Clients send the same few keys over and over: remember their hashes per thread (bounded).
  // Kept as a thread-local on purpose: it is a memo of a pure function of (salt, key), not state
  // a config decides, so it cannot make a request see another runtime's settings; it is tagged
  // with the instance it memoizes, so a thread never serves one salt's hash for another; and
  // being per thread it needs no lock on the request path. Owning it per worker would only move
  // the same map behind one more parameter.
  thread_local std::unordered_map<std::string, std::string> cache;
  thread_local uint64_t owner = 0;  // which Governance (salt) the cache belongs to
  if (owner != generation_) {
    cache.clear();
    owner = generation_;
  }
  if (auto it = cache.find(std::string(key)); it != cache.end()) return it->second;
  if (cache.size() >= 4096) cache.clear();
  return cache.emplace(std::string(key), sha256Hex(key)).first->second;
}

std::string Governance::sha256Hex(std::string_view key) const {
  std::string input = salt_;
  input.append(key);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(input.data(), input.size(), digest, &length, EVP_sha256(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * length);
  for (unsigned char b : std::string_view(reinterpret_cast<const char*>(digest), length)) {
    out += kHex[b >> 4];
    out += kHex[b & 15];
  }
  return out;
}

Result<void> Governance::refresh() {
  std::lock_guard lock(storeMutex_);
  // The writer must not commit between reading the spend and folding in what it has not
  // committed yet, or an increment would count twice.
  std::unique_lock commit(writer_->commitMutex());
  auto all = store_->list(std::nullopt);
  if (!all) return all.error();
  registry_.load(std::move(*all));
  return {};
}

void Governance::refreshLoop() {
  auto due = std::chrono::steady_clock::now() + settings_.refreshInterval;
  while (true) {
    const bool changed = waitForChange(due);
    {
      std::lock_guard lock(stopMutex_);
      if (stopped_) return;
    }
    const auto now = std::chrono::steady_clock::now();
    if (!changed && now < due) continue;
    if (auto r = refresh(); !r) logWarn("store refresh failed: " + r.error().message);
    // A change announced by another instance does not move the timed refresh: it stays the
    // fallback for announcements lost while the listener reconnects.
    if (now >= due) due = now + settings_.refreshInterval;
  }
}

bool Governance::waitForChange(std::chrono::steady_clock::time_point due) {
  using namespace std::chrono;
  // Short slices, so that stop() is never kept waiting on the database socket.
  constexpr milliseconds kSlice{250};
  if (backend_ == "postgresql") {
    if (!listener_) {
      auto opened = openStore(databaseUrl_);
      if (opened && (*opened)->awaitChange(milliseconds(0))) {  // LISTEN is in place
        listener_ = std::move(*opened);
        if (listenerDown_) logInfo("store change listener: reconnected");
        listenerDown_ = false;
        // Whatever changed before it listened (or while it was down) is read now.
        return true;
      }
      if (!listenerDown_) {
        logWarn("store change listener: " +
                (opened ? std::string("LISTEN failed") : opened.error().message) +
                " (retrying every second; timed refreshes go on)");
      }
      listenerDown_ = true;
    } else {
      const auto left = duration_cast<milliseconds>(due - steady_clock::now());
      auto changed = listener_->awaitChange(std::clamp(left, milliseconds(0), kSlice));
      if (changed) return *changed;
      logWarn("store change listener: " + changed.error().message + " (reconnecting)");
      listener_.reset();
      listenerDown_ = true;
      return false;
    }
  }
  std::unique_lock lock(stopMutex_);
  stopWake_.wait_until(lock, std::min(due, steady_clock::now() + seconds(1)),
                       [&] { return stopped_; });
  return false;
}

void Governance::stop() {
  {
    std::lock_guard lock(stopMutex_);
    if (stopped_) return;
    stopped_ = true;
  }
  stopWake_.notify_all();
  if (refresher_.joinable()) refresher_.join();
  adminPool_.join();
  if (writer_) writer_->stop();
}

}  // namespace switchyard
