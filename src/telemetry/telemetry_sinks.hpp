#pragma once
// The process-wide telemetry outputs, started once from the configuration the gateway starts
// with: the access-log writer and the trace exporter. Installs them for the request path and
// uninstalls them before they stop.

#include <memory>
#include <string>

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

  // Adds the sinks' own counters (lines written and dropped, spans exported and dropped).
  void registerMetrics(MetricsRegistry& registry);
  std::string describe() const;  // for the start-up log

 private:
  TelemetrySinks() = default;
  std::unique_ptr<LogSink> accessLog_;
  std::string accessLogWhere_;
  std::unique_ptr<SpanExporter> exporter_;
  std::string tracesWhere_;
};

}  // namespace switchyard
