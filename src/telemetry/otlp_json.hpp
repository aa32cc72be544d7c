#pragma once
// OTLP/HTTP JSON encoding of span records, done by the exporter thread: an
// ExportTraceServiceRequest with one resource and one scope around a batch of spans. Ids are
// lower-case hex and 64-bit integers strings, as the OTLP JSON mapping requires; attribute keys
// are the semantic-convention names.

#include <chrono>
#include <cstdint>
#include <string>

#include "telemetry/span_record.hpp"
#include "telemetry/text_buffer.hpp"

namespace switchyard {

// The resource and scope every batch is sent with.
struct TraceResource {
  std::string serviceName = "switchyard";
  std::string serviceVersion;
};

// Unix time of steady-clock readings, through one reading of both clocks.
struct UnixTimeOfSteady {
  int64_t steadyNanos = 0;
  int64_t unixNanos = 0;
  static UnixTimeOfSteady now();
  int64_t operator()(int64_t steady) const { return unixNanos - (steadyNanos - steady); }
};

// Writes one export request into a reused buffer: begin, add each span, finish.
class OtlpTraceBatch {
 public:
  // Clears `out` and writes everything before the first span.
  OtlpTraceBatch(TextBuffer& out, const TraceResource& resource, UnixTimeOfSteady clock);
  void add(const SpanRecord& span);
  size_t spans() const { return spans_; }
  // The whole request (valid until `out` changes).
  std::string_view finish();

 private:
  TextBuffer& out_;
  UnixTimeOfSteady clock_;
  size_t spans_ = 0;
};

}  // namespace switchyard
