#pragma once
// The gateway's telemetry outputs: the access-log writer and the trace exporter. Started from the
// configuration the gateway starts with and replaced when a reloaded configuration (SIGHUP)
// points them elsewhere. The runtime builder gives each snapshot the outputs running when it is
// built (Snapshot::accessLogSink, Snapshot::spanExporter); requests reach them only from there.

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "config/telemetry_settings.hpp"
#include "core/error.hpp"

namespace switchyard {

class LogSink;
class SpanExporter;
class MetricsRegistry;

class TelemetrySinks {
 public:
  // Fails when the access-log file cannot be opened.
  static Result<std::unique_ptr<TelemetrySinks>> start(const TelemetrySettings& settings);
  ~TelemetrySinks();

  // A reloaded configuration: the access log and the trace exporter whose settings changed are
  // replaced. Fails, changing nothing, when the new access-log file cannot be opened. Replaced
  // outputs stay alive until this object is destroyed, after the workers: a request that began
  // on an older snapshot still writes to the outputs that snapshot names.
  Result<void> reload(const TelemetrySettings& settings);

  // The running outputs; null when off.
  LogSink* accessLog() const;
  SpanExporter* exporter() const;

  // Adds the outputs' own counters (lines written and dropped, spans exported and dropped),
  // summed over the outputs replaced by reloads so that they never go down.
  void registerMetrics(MetricsRegistry& registry);
  std::string describe() const;  // for the start-up and reload logs

 private:
  TelemetrySinks() = default;

  mutable std::mutex mutex_;  // the fields below: reload() against scrapes and describe()
  TelemetrySettings settings_;
  std::unique_ptr<LogSink> accessLog_;
  std::string accessLogWhere_;
  std::unique_ptr<SpanExporter> exporter_;
  std::string tracesWhere_;
  std::vector<std::unique_ptr<LogSink>> retiredLogs_;
  std::vector<std::unique_ptr<SpanExporter>> retiredExporters_;
};

}  // namespace switchyard
