#pragma once
// What the operator asked of metrics, the access log and tracing. Part of ServerSettings; the
// access log and the trace exporter are set up from the snapshot the gateway starts with.

#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/url.hpp"

namespace switchyard {

struct TelemetrySettings {
  bool metrics = true;  // GET /metrics and the counters behind it (switchyard_settings.metrics)

  enum class AccessLog { kOff, kStdout, kFile };
  AccessLog accessLog = AccessLog::kOff;
  std::string accessLogPath;  // kFile

  // OpenTelemetry traces over OTLP/HTTP, JSON (the default) or protobuf.
  bool tracing = false;
  enum class OtlpProtocol { kHttpJson, kHttpProtobuf };
  OtlpProtocol otlpProtocol = OtlpProtocol::kHttpJson;
  Url otlpTracesUrl;  // where spans are POSTed
  // https collectors: the CA certificates (PEM) to verify them with; empty: the system's.
  std::string otlpCaFile;
  std::vector<std::pair<std::string, std::string>> otlpHeaders;
  std::string serviceName = "switchyard";
  double sampleRatio = 1.0;  // for traces the client did not start; theirs follow their flag
  // Batching, as the OpenTelemetry batch span processor's OTEL_BSP_* variables.
  std::chrono::milliseconds exportInterval{1000};
  size_t maxQueueSize = 2048;
  size_t maxExportBatchSize = 1024;
  std::chrono::milliseconds exportTimeout{10'000};

  // switchyard_settings' tracing keys as written; the loader resolves them with the
  // environment into the fields above.
  struct Configured {
    std::optional<bool> otel;
    std::optional<std::string> endpoint;
    std::string endpointPath;
    std::optional<double> sampleRatio;
    std::optional<std::string> protocol;
  } configured;
};

}  // namespace switchyard
