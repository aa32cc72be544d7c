#include "telemetry/telemetry_sinks.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "telemetry/log_sink.hpp"
#include "telemetry/metrics_registry.hpp"
#include "telemetry/span_exporter.hpp"

namespace switchyard {

namespace {

using AccessLog = TelemetrySettings::AccessLog;

struct AccessLogOutput {
  std::unique_ptr<LogSink> sink;  // null when the log is off
  std::string where;
};

Result<AccessLogOutput> openAccessLog(const TelemetrySettings& settings) {
  if (settings.accessLog == AccessLog::kStdout) {
    return AccessLogOutput{std::make_unique<LogSink>(STDOUT_FILENO), "stdout"};
  }
  if (settings.accessLog == AccessLog::kFile) {
    const int fd =
        ::open(settings.accessLogPath.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
    if (fd < 0) {
      return Error::make(
          ErrorClass::kInternal,
          "cannot open the access log '" + settings.accessLogPath + "': " + std::strerror(errno));
    }
    return AccessLogOutput{std::make_unique<LogSink>(fd), settings.accessLogPath};
  }
  return AccessLogOutput{};
}

bool sameAccessLog(const TelemetrySettings& a, const TelemetrySettings& b) {
  return a.accessLog == b.accessLog &&
         (a.accessLog != AccessLog::kFile || a.accessLogPath == b.accessLogPath);
}

bool sameTracing(const TelemetrySettings& a, const TelemetrySettings& b) {
  if (a.tracing != b.tracing) return false;
  return !a.tracing ||
         (a.otlpTracesUrl.toString() == b.otlpTracesUrl.toString() &&
          a.otlpProtocol == b.otlpProtocol && a.otlpCaFile == b.otlpCaFile &&
          a.otlpHeaders == b.otlpHeaders && a.serviceName == b.serviceName &&
          a.sampleRatio == b.sampleRatio && a.exportInterval == b.exportInterval &&
          a.maxQueueSize == b.maxQueueSize && a.maxExportBatchSize == b.maxExportBatchSize &&
          a.exportTimeout == b.exportTimeout);
}

std::string describeTraces(const TelemetrySettings& settings) {
  const bool protobuf = settings.otlpProtocol == TelemetrySettings::OtlpProtocol::kHttpProtobuf;
  return std::string(protobuf ? "OTLP/HTTP protobuf to " : "OTLP/HTTP JSON to ") +
         settings.otlpTracesUrl.toString();
}

}  // namespace

Result<std::unique_ptr<TelemetrySinks>> TelemetrySinks::start(const TelemetrySettings& settings) {
  auto log = openAccessLog(settings);
  if (!log) return log.error();
  std::unique_ptr<TelemetrySinks> sinks(new TelemetrySinks());
  sinks->settings_ = settings;
  sinks->accessLog_ = std::move(log->sink);
  sinks->accessLogWhere_ = std::move(log->where);
  if (settings.tracing) {
    sinks->exporter_ = std::make_unique<SpanExporter>(settings);
    sinks->tracesWhere_ = describeTraces(settings);
  }
  return sinks;
}

Result<void> TelemetrySinks::reload(const TelemetrySettings& settings) {
  std::lock_guard lock(mutex_);
  if (!sameAccessLog(settings_, settings)) {
    auto log = openAccessLog(settings);
    if (!log) return log.error();
    if (accessLog_) retiredLogs_.push_back(std::move(accessLog_));
    accessLog_ = std::move(log->sink);
    accessLogWhere_ = std::move(log->where);
  }
  if (!sameTracing(settings_, settings)) {
    auto exporter = settings.tracing ? std::make_unique<SpanExporter>(settings) : nullptr;
    if (exporter_) retiredExporters_.push_back(std::move(exporter_));
    exporter_ = std::move(exporter);
    tracesWhere_ = settings.tracing ? describeTraces(settings) : "";
  }
  settings_ = settings;
  return {};
}

TelemetrySinks::~TelemetrySinks() = default;

LogSink* TelemetrySinks::accessLog() const {
  std::lock_guard lock(mutex_);
  return accessLog_.get();
}

SpanExporter* TelemetrySinks::exporter() const {
  std::lock_guard lock(mutex_);
  return exporter_.get();
}

void TelemetrySinks::registerMetrics(MetricsRegistry& registry) {
  using Type = PrometheusWriter::Type;
  registry.addCollector([this](PrometheusWriter& w) {
    uint64_t linesWritten = 0, linesDropped = 0, spansExported = 0, spansDropped = 0, failed = 0;
    {
      std::lock_guard lock(mutex_);
      auto addLog = [&](const LogSink* log) {
        linesWritten += log->written();
        linesDropped += log->dropped();
      };
      auto addExporter = [&](const SpanExporter* exporter) {
        spansExported += exporter->exported();
        spansDropped += exporter->dropped();
        failed += exporter->failedExports();
      };
      for (const auto& log : retiredLogs_) addLog(log.get());
      if (accessLog_) addLog(accessLog_.get());
      for (const auto& exporter : retiredExporters_) addExporter(exporter.get());
      if (exporter_) addExporter(exporter_.get());
    }
    w.family("switchyard_access_log_lines_total", Type::kCounter,
             "Access-log lines written, and dropped because the writer fell behind.");
    w.sample("switchyard_access_log_lines_total", {{"outcome", "written"}}, linesWritten);
    w.sample("switchyard_access_log_lines_total", {{"outcome", "dropped"}}, linesDropped);
    w.family("switchyard_trace_spans_total", Type::kCounter,
             "Trace spans exported, and dropped because the export queue was full.");
    w.sample("switchyard_trace_spans_total", {{"outcome", "exported"}}, spansExported);
    w.sample("switchyard_trace_spans_total", {{"outcome", "dropped"}}, spansDropped);
    w.family("switchyard_trace_export_failures_total", Type::kCounter,
             "Span batches the collector did not accept (refused, timed out, unreachable).");
    w.sample("switchyard_trace_export_failures_total", {}, failed);
  });
}

std::string TelemetrySinks::describe() const {
  std::lock_guard lock(mutex_);
  std::string out = "access log: " + (accessLog_ ? accessLogWhere_ : std::string("off"));
  out += "; traces: " + (exporter_ ? tracesWhere_ : std::string("off"));
  return out;
}

}  // namespace switchyard
