#pragma once
// A finished span, encoded once, on the worker, straight into its OTLP JSON object: one string
// and no intermediate structure, so the worker allocates once per span and the exporter only
// concatenates. Attribute keys are the semantic-convention names (literals, not escaped).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "telemetry/trace_context.hpp"

namespace switchyard {

class SpanBuilder {
 public:
  enum class Kind { kServer = 2, kClient = 3 };  // OTLP's SpanKind numbers

  // Everything but the attributes; parent may be null. The name is `name` followed by a space
  // and `nameSuffix` when that is not empty. Error sets status code 2 (ERROR).
  SpanBuilder(const TraceId& trace, const SpanId& span, const SpanId* parent, Kind kind,
              std::string_view name, std::string_view nameSuffix, int64_t startUnixNano,
              int64_t endUnixNano, bool error);

  SpanBuilder& str(std::string_view key, std::string_view value);
  SpanBuilder& num(std::string_view key, int64_t value);
  SpanBuilder& real(std::string_view key, double value);
  SpanBuilder& flag(std::string_view key, bool value);

  // The span's JSON object ({"traceId":...,"attributes":[...]}).
  std::string finish() &&;

 private:
  void key(std::string_view k);

  std::string out_;
  bool first_ = true;
};

// The resource and scope every batch is sent with.
struct TraceResource {
  std::string serviceName = "switchyard";
  std::string serviceVersion;
};

// An OTLP/HTTP JSON ExportTraceServiceRequest around spans from SpanBuilder: ids are
// lower-case hex and 64-bit integers strings, as the OTLP JSON mapping requires.
std::string encodeOtlpTraces(const std::vector<std::string>& spans, const TraceResource& resource);

}  // namespace switchyard
