#pragma once
// The one ResponsesStore of the process, opened by the first runtime and handed on by every
// reload (which may change its bounds). It persists to the governance database whenever the
// config has one (a master key or a database_url, as governance/GovernanceHost decides), on a
// connection of its own, and reads it on another.

#include <memory>

#include "config/snapshot.hpp"
#include "store/responses_store.hpp"

namespace switchyard {

class ResponsesStoreHost {
 public:
  Result<std::shared_ptr<ResponsesStore>> forConfig(const Snapshot& snapshot);
  // Writes what is queued and stops the writer (after the workers have stopped).
  void stop();

 private:
  std::shared_ptr<ResponsesStore> running_;
};

}  // namespace switchyard
