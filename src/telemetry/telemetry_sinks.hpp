#pragma once
// The process-wide telemetry outputs: the access-log writer and the trace exporter. Started from
// the configuration the gateway starts with and replaced when a reloaded configuration (SIGHUP)
// points them elsewhere. Installs them for the request path and uninstalls them before they stop.

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
  // outputs stay alive (idle) until exit: a worker may still be handing them a line or a span.
  Result<void> reload(const TelemetrySettings& settings);

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
