#include "store/responses_store_host.hpp"

#include "core/log.hpp"

namespace switchyard {

namespace {
// The writer's window: what a crash can lose of the stored responses.
constexpr std::chrono::milliseconds kWriteWindow{100};
}  // namespace

Result<std::shared_ptr<ResponsesStore>> ResponsesStoreHost::forConfig(const Snapshot& snapshot) {
  if (running_) {
    running_->setLimits(snapshot.responsesStore, ResponsesStore::wallMs());
    return running_;
  }
  std::unique_ptr<Store> db;
  std::unique_ptr<Store> reader;
  if (!snapshot.masterKey.empty() || !snapshot.databaseUrl.empty()) {
    auto opened = openStore(snapshot.databaseUrl);
    if (!opened) return opened.error();
    db = std::move(*opened);
    auto second = openStore(snapshot.databaseUrl);
    if (!second) return second.error();
    reader = std::move(*second);
  }
  auto store =
      ResponsesStore::open(snapshot.responsesStore, std::move(db), kWriteWindow, std::move(reader));
  if (!store) return store.error();
  running_ = std::move(*store);
  if (running_->persistent()) {
    logInfo("stored responses: " + std::to_string(running_->size()) + " loaded");
  }
  return running_;
}

void ResponsesStoreHost::stop() {
  if (running_) running_->stop();
}

}  // namespace switchyard
