#pragma once
// OTLP/HTTP protobuf encoding of span records (application/x-protobuf), done by the exporter
// thread: the same ExportTraceServiceRequest as otlp_json.hpp writes, in the protobuf wire
// format, encoded by hand (varints and length-delimited fields) from the field numbers of
// opentelemetry-proto's trace.proto, common.proto and resource.proto.

#include "telemetry/otlp_json.hpp"

namespace switchyard {

// Writes one export request into a reused buffer: begin, add each span, finish.
class OtlpProtoBatch {
 public:
  // Clears `out` and writes everything before the first span.
  OtlpProtoBatch(TextBuffer& out, const TraceResource& resource, UnixTimeOfSteady clock);
  void add(const SpanRecord& span);
  size_t spans() const { return spans_; }
  void finish();

 private:
  TextBuffer& out_;
  UnixTimeOfSteady clock_;
  size_t spans_ = 0;
  // Where the lengths of the open ResourceSpans and ScopeSpans messages go.
  size_t resourceSpansAt_ = 0;
  size_t scopeSpansAt_ = 0;
};

}  // namespace switchyard
