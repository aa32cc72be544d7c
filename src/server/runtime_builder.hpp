#pragma once
// Turns a parsed config into the gateway's runtime: the snapshot completed with its price table,
// its governance, its telemetry outputs, the Vertex AI token caches and the deployment states
// carried over from the running one. Built whole before it is published, so a reload swaps
// everything a config decides at once, or (on an error) nothing.

#include <memory>
#include <optional>
#include <string>

#include "config/snapshot.hpp"
#include "core/error.hpp"
#include "governance/governance.hpp"
#include "store/responses_store_host.hpp"
#include "telemetry/telemetry_sinks.hpp"

namespace switchyard {

// An access log chosen on the command line: it wins over every config's, reloaded ones too.
struct AccessLogOverride {
  TelemetrySettings::AccessLog where = TelemetrySettings::AccessLog::kStdout;
  std::string path;  // kFile
};

class RuntimeBuilder {
 public:
  explicit RuntimeBuilder(std::optional<AccessLogOverride> accessLog = std::nullopt)
      : accessLogOverride_(std::move(accessLog)) {}

  // `previous` is the running snapshot on a reload, null at start. At start, an access-log file
  // that cannot be opened fails the build; on a reload it is logged and the running telemetry
  // outputs are kept.
  Result<std::shared_ptr<const Snapshot>> build(const Snapshot& parsed, const Snapshot* previous);
  // After the workers have stopped: writes all queued spend and stored responses.
  void stop() {
    governance_.stop();
    responses_.stop();
  }

  // Null until a build succeeded. The outputs outlive every snapshot built here.
  TelemetrySinks* telemetry() { return telemetry_.get(); }

 private:
  // Opens the outputs `settings` asks for at the first build, replaces those that changed later.
  Result<void> startTelemetry(TelemetrySettings& settings);

  const std::optional<AccessLogOverride> accessLogOverride_;
  GovernanceHost governance_;
  ResponsesStoreHost responses_;
  std::unique_ptr<TelemetrySinks> telemetry_;
};

}  // namespace switchyard
