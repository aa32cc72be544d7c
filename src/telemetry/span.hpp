#pragma once
// A finished span as the exporter queues it: ids, name, kind, times, status and attributes.
// Attribute keys are string literals (the semantic-convention names), so only values are copied.

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "telemetry/trace_context.hpp"

namespace switchyard {

struct SpanAttribute {
  std::string_view key;  // a literal
  std::variant<std::string, int64_t, double, bool> value;
};

struct SpanRecord {
  enum class Kind : uint8_t { kServer = 2, kClient = 3 };  // OTLP's SpanKind numbers
  TraceId traceId{};
  SpanId spanId{};
  SpanId parentSpanId{};
  bool hasParent = false;
  Kind kind = Kind::kServer;
  std::string name;
  int64_t startUnixNano = 0;
  int64_t endUnixNano = 0;
  bool error = false;
  std::string statusMessage;
  std::vector<SpanAttribute> attributes;

  void add(std::string_view key, std::string_view v) {
    attributes.push_back({key, std::string(v)});
  }
  void add(std::string_view key, int64_t v) { attributes.push_back({key, v}); }
  void add(std::string_view key, double v) { attributes.push_back({key, v}); }
  void add(std::string_view key, bool v) { attributes.push_back({key, v}); }
};

// The resource and scope every batch is sent with.
struct TraceResource {
  std::string serviceName = "switchyard";
  std::string serviceVersion;
};

// An OTLP/HTTP JSON ExportTraceServiceRequest: ids as lower-case hex, 64-bit integers as
// strings, as the OTLP JSON mapping requires.
std::string encodeOtlpTraces(const std::vector<SpanRecord>& spans, const TraceResource& resource);

}  // namespace switchyard
