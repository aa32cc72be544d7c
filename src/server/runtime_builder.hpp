#pragma once
// Turns a parsed config into the gateway's runtime: the snapshot completed with its price table,
// its governance and the deployment states carried over from the running one. Built whole before
// it is published, so a reload swaps everything a config decides at once, or (on an error)
// nothing.

#include <memory>

#include "config/snapshot.hpp"
#include "core/error.hpp"
#include "governance/governance.hpp"

namespace switchyard {

class RuntimeBuilder {
 public:
  // `previous` is the running snapshot on a reload, null at start.
  Result<std::shared_ptr<const Snapshot>> build(const Snapshot& parsed, const Snapshot* previous);
  // After the workers have stopped: writes all queued spend.
  void stop() { governance_.stop(); }

 private:
  GovernanceHost governance_;
};

}  // namespace switchyard
