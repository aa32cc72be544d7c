#pragma once
// OTLP/HTTP protobuf encoding of span records (application/x-protobuf), done by the exporter
// thread: the same ExportTraceServiceRequest as otlp_json.hpp writes, in the protobuf wire
// format, encoded by hand (varints and length-delimited fields) from the field numbers of
// opentelemetry-proto's trace.proto, common.proto and resource.proto.

#include <string>
#include <string_view>

#include "telemetry/otlp_json.hpp"

namespace switchyard {

// Writes one export request into a reused buffer: begin, add each span, finish.
class OtlpProtoBatch {
 public:
  // Clears `out` and makes room for what comes before the first span.
  OtlpProtoBatch(TextBuffer& out, const TraceResource& resource, UnixTimeOfSteady clock);
  void add(const SpanRecord& span);
  size_t spans() const { return spans_; }
  // The whole request, which starts a little way into `out` (valid until `out` changes).
  std::string_view finish();

 private:
  TextBuffer& out_;
  UnixTimeOfSteady clock_;
  size_t spans_ = 0;
  std::string head_;              // the resource field, then the scope field
  size_t resourceFieldSize_ = 0;  // of head_
  size_t spansAt_ = 0;            // where the first span goes in out_
  size_t start_ = 0;              // where the request starts in out_, once finished
};

}  // namespace switchyard
