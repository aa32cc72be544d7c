#include "telemetry/telemetry_sinks.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "telemetry/access_log.hpp"
#include "telemetry/log_sink.hpp"
#include "telemetry/metrics_registry.hpp"
#include "telemetry/span_exporter.hpp"

namespace switchyard {

Result<std::unique_ptr<TelemetrySinks>> TelemetrySinks::start(const TelemetrySettings& settings) {
  std::unique_ptr<TelemetrySinks> sinks(new TelemetrySinks());
  using AccessLog = TelemetrySettings::AccessLog;
  if (settings.accessLog == AccessLog::kStdout) {
    sinks->accessLog_ = std::make_unique<LogSink>(STDOUT_FILENO);
    sinks->accessLogWhere_ = "stdout";
  } else if (settings.accessLog == AccessLog::kFile) {
    const int fd =
        ::open(settings.accessLogPath.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
    if (fd < 0) {
      return Error::make(
          ErrorClass::kInternal,
          "cannot open the access log '" + settings.accessLogPath + "': " + std::strerror(errno));
    }
    sinks->accessLog_ = std::make_unique<LogSink>(fd);
    sinks->accessLogWhere_ = settings.accessLogPath;
  }
  if (settings.tracing) {
    sinks->exporter_ = std::make_unique<SpanExporter>(settings);
    sinks->tracesWhere_ = settings.otlpTracesUrl.toString();
  }
  setAccessLogSink(sinks->accessLog_.get());
  setSpanExporter(sinks->exporter_.get());
  return sinks;
}

TelemetrySinks::~TelemetrySinks() {
  setAccessLogSink(nullptr);
  setSpanExporter(nullptr);
}

void TelemetrySinks::registerMetrics(MetricsRegistry& registry) {
  using Type = PrometheusWriter::Type;
  const LogSink* log = accessLog_.get();
  const SpanExporter* exporter = exporter_.get();
  registry.addCollector([log, exporter](PrometheusWriter& w) {
    w.family("switchyard_access_log_lines_total", Type::kCounter,
             "Access-log lines written, and dropped because the writer fell behind.");
    w.sample("switchyard_access_log_lines_total", {{"outcome", "written"}},
             log ? log->written() : uint64_t(0));
    w.sample("switchyard_access_log_lines_total", {{"outcome", "dropped"}},
             log ? log->dropped() : uint64_t(0));
    w.family("switchyard_trace_spans_total", Type::kCounter,
             "Trace spans exported, and dropped because the export queue was full.");
    w.sample("switchyard_trace_spans_total", {{"outcome", "exported"}},
             exporter ? exporter->exported() : uint64_t(0));
    w.sample("switchyard_trace_spans_total", {{"outcome", "dropped"}},
             exporter ? exporter->dropped() : uint64_t(0));
    w.family("switchyard_trace_export_failures_total", Type::kCounter,
             "Span batches the collector did not accept (refused, timed out, unreachable).");
    w.sample("switchyard_trace_export_failures_total", {},
             exporter ? exporter->failedExports() : uint64_t(0));
  });
}

std::string TelemetrySinks::describe() const {
  std::string out = "access log: " + (accessLog_ ? accessLogWhere_ : std::string("off"));
  out += "; traces: " + (exporter_ ? "OTLP/HTTP JSON to " + tracesWhere_ : std::string("off"));
  return out;
}

}  // namespace switchyard
