#include "telemetry/otlp_protobuf.hpp"

#include <cstring>

#include "telemetry/span_attributes.hpp"

namespace switchyard {

namespace {

// Field numbers of opentelemetry-proto (collector/trace/v1, trace/v1, common/v1, resource/v1).
namespace field {
constexpr uint32_t kRequestResourceSpans = 1;  // ExportTraceServiceRequest.resource_spans
constexpr uint32_t kResource = 1;              // ResourceSpans.resource
constexpr uint32_t kScopeSpans = 2;            // ResourceSpans.scope_spans
constexpr uint32_t kResourceAttributes = 1;    // Resource.attributes
constexpr uint32_t kScope = 1;                 // ScopeSpans.scope
constexpr uint32_t kSpans = 2;                 // ScopeSpans.spans
constexpr uint32_t kScopeName = 1;             // InstrumentationScope.name
constexpr uint32_t kScopeVersion = 2;          // InstrumentationScope.version
constexpr uint32_t kTraceId = 1;               // Span.trace_id
constexpr uint32_t kSpanId = 2;
constexpr uint32_t kParentSpanId = 4;
constexpr uint32_t kName = 5;
constexpr uint32_t kKind = 6;
constexpr uint32_t kStartTime = 7;
constexpr uint32_t kEndTime = 8;
constexpr uint32_t kAttributes = 9;
constexpr uint32_t kStatus = 15;
constexpr uint32_t kStatusCode = 3;   // Status.code
constexpr uint32_t kKey = 1;          // KeyValue.key
constexpr uint32_t kValue = 2;        // KeyValue.value
constexpr uint32_t kStringValue = 1;  // AnyValue
constexpr uint32_t kBoolValue = 2;
constexpr uint32_t kIntValue = 3;
constexpr uint32_t kDoubleValue = 4;
}  // namespace field

enum WireType : uint32_t { kVarint = 0, kFixed64 = 1, kLength = 2 };

constexpr size_t kMaxVarint = 10;
// The most one span takes besides its text (ids, times, keys, numbers), as in otlp_json.cpp.
constexpr size_t kSpanFixedBytes = 4096;
// A span's encoded length fits in this many varint bytes: its size is bounded by the fixed part
// and twice its text, under 2^14; a span is rarely under 128 bytes, so its content is seldom moved.
constexpr size_t kSpanLengthBytes = 2;
static_assert(kSpanFixedBytes + 2 * SpanRecord::kTextCapacity < (size_t(1) << 14));
// The resource's length: its attributes are short (a service name and version).
constexpr size_t kResourceLengthBytes = 5;

constexpr size_t varintSize(uint64_t v) {
  size_t n = 1;
  while (v >= 0x80) {
    v >>= 7;
    ++n;
  }
  return n;
}

char* putVarint(char* p, uint64_t v) {
  while (v >= 0x80) {
    *p++ = char(uint8_t(v) | 0x80);
    v >>= 7;
  }
  *p++ = char(v);
  return p;
}

char* putTag(char* p, uint32_t number, WireType type) {
  return putVarint(p, (uint64_t(number) << 3) | type);
}

char* putFixed64(char* p, uint32_t number, uint64_t v) {
  p = putTag(p, number, kFixed64);
  for (int i = 0; i < 8; ++i) *p++ = char(uint8_t(v >> (8 * i)));  // little-endian
  return p;
}

char* putBytes(char* p, uint32_t number, const void* data, size_t size) {
  p = putTag(p, number, kLength);
  p = putVarint(p, size);
  std::memcpy(p, data, size);
  return p + size;
}

char* putString(char* p, uint32_t number, std::string_view s) {
  return putBytes(p, number, s.data(), s.size());
}

// Writes KeyValue messages (a span's or the resource's attributes) through the cursor; each
// size is known up front, so no length is patched afterwards.
class Attributes {
 public:
  Attributes(char* p, uint32_t number) : p_(p), number_(number) {}
  char* end() const { return p_; }

  void str(std::string_view k, std::string_view value) {
    const size_t any = 1 + varintSize(value.size()) + value.size();
    p_ = putString(head(k, any), field::kStringValue, value);
  }
  void num(std::string_view k, int64_t value) {
    // int64 as a varint: a negative number takes ten bytes (two's complement).
    const auto bits = uint64_t(value);
    p_ = putVarint(putTag(head(k, 1 + varintSize(bits)), field::kIntValue, kVarint), bits);
  }
  void real(std::string_view k, double value) {
    uint64_t bits;
    std::memcpy(&bits, &value, sizeof bits);
    p_ = putFixed64(head(k, 9), field::kDoubleValue, bits);
  }
  void flag(std::string_view k, bool value) {
    p_ = putVarint(putTag(head(k, 2), field::kBoolValue, kVarint), value ? 1 : 0);
  }

 private:
  // The KeyValue's tag and length, its key, and the AnyValue's tag and length (`any` bytes).
  char* head(std::string_view k, size_t any) {
    const size_t pair = 1 + varintSize(k.size()) + k.size() + 1 + varintSize(any) + any;
    char* p = putVarint(putTag(p_, number_, kLength), pair);
    p = putString(p, field::kKey, k);
    return putVarint(putTag(p, field::kValue, kLength), any);
  }

  char* p_;
  uint32_t number_;
};

// A length-delimited field whose length is known only once its content is written: room for
// `lengthBytes` is kept after the tag, and close() writes the length there and moves the
// content back over what the length did not need (so the encoding stays canonical).
size_t openMessage(TextBuffer& out, uint32_t number, size_t lengthBytes) {
  char* p = putTag(out.reserve(kMaxVarint + lengthBytes), number, kLength);
  out.commit(p + lengthBytes);
  return size_t(p - out.data());
}

void closeMessage(TextBuffer& out, size_t at, size_t lengthBytes) {
  const size_t content = out.size() - at - lengthBytes;
  char* p = out.data() + at;
  const size_t used = size_t(putVarint(p, content) - p);
  if (used < lengthBytes) {
    std::memmove(p + used, p + lengthBytes, content);
    out.commit(p + used + content);
  }
}

}  // namespace

OtlpProtoBatch::OtlpProtoBatch(TextBuffer& out, const TraceResource& resource,
                               UnixTimeOfSteady clock)
    : out_(out), clock_(clock) {
  // The resource and the scope, each a whole field of their own, are encoded first (at the start
  // of the buffer, then moved into head_), the spans then follow in room left for the head:
  // ResourceSpans and ScopeSpans hold every span, so their lengths are known only at the end.
  out_.clear();
  const size_t resourceAt = openMessage(out_, field::kResource, kResourceLengthBytes);
  char* p = out_.reserve(1024 + 2 * (resource.serviceName.size() + resource.serviceVersion.size()));
  Attributes a(p, field::kResourceAttributes);
  a.str("service.name", resource.serviceName);
  a.str("service.version", resource.serviceVersion);
  a.str("telemetry.sdk.name", "switchyard");
  a.str("telemetry.sdk.language", "cpp");
  out_.commit(a.end());
  closeMessage(out_, resourceAt, kResourceLengthBytes);
  resourceFieldSize_ = out_.size();
  p = out_.reserve(64 + resource.serviceVersion.size());
  const size_t scope = 1 + varintSize(10) + 10 + 1 + varintSize(resource.serviceVersion.size()) +
                       resource.serviceVersion.size();
  p = putVarint(putTag(p, field::kScope, kLength), scope);
  p = putString(p, field::kScopeName, "switchyard");
  p = putString(p, field::kScopeVersion, resource.serviceVersion);
  out_.commit(p);
  head_.assign(out_.view());
  // Room for the head: the resource and scope, and two tags and lengths.
  spansAt_ = head_.size() + 2 * (1 + kMaxVarint);
  out_.clear();
  out_.commit(out_.reserve(spansAt_) + spansAt_);
}

void OtlpProtoBatch::add(const SpanRecord& s) {
  ++spans_;
  const size_t at = openMessage(out_, field::kSpans, kSpanLengthBytes);
  // The text may be written twice (a client span's model is in its name and an attribute).
  char* p = out_.reserve(kSpanFixedBytes + 2 * s.textUsed);
  const SpanName name = spanName(s);
  p = putBytes(p, field::kTraceId, s.traceId.data(), s.traceId.size());
  p = putBytes(p, field::kSpanId, s.spanId.data(), s.spanId.size());
  if (s.hasParent)
    p = putBytes(p, field::kParentSpanId, s.parentSpanId.data(), s.parentSpanId.size());
  const size_t nameSize = name.first.size() + (name.second.empty() ? 0 : 1 + name.second.size());
  p = putVarint(putTag(p, field::kName, kLength), nameSize);
  p = put(p, name.first);
  if (!name.second.empty()) {
    *p++ = ' ';
    p = put(p, name.second);
  }
  p = putVarint(putTag(p, field::kKind, kVarint), uint64_t(s.kind));
  p = putFixed64(p, field::kStartTime, uint64_t(clock_(s.startSteadyNanos)));
  p = putFixed64(p, field::kEndTime, uint64_t(clock_(s.endSteadyNanos)));
  Attributes a(p, field::kAttributes);
  putSpanAttributes(a, s, name);
  p = a.end();
  // An unset status (code 0) is the message's default and is left out.
  if (s.error) {
    constexpr uint64_t kStatusCodeError = 2;
    p = putVarint(putTag(p, field::kStatus, kLength), 2);  // the code's tag and value
    p = putVarint(putTag(p, field::kStatusCode, kVarint), kStatusCodeError);
  }
  out_.commit(p);
  closeMessage(out_, at, kSpanLengthBytes);
}

std::string_view OtlpProtoBatch::finish() {
  // ExportTraceServiceRequest { resource_spans { resource, scope_spans { scope, spans... } } },
  // its head written right before the spans, so that they are never moved.
  // Both tags (fields 1 and 2, length-delimited) take one byte.
  const size_t spans = out_.size() - spansAt_;
  const size_t scopeFieldSize = head_.size() - resourceFieldSize_;
  const size_t scopeSpans = scopeFieldSize + spans;
  const size_t resourceSpans = resourceFieldSize_ + 1 + varintSize(scopeSpans) + scopeSpans;
  const size_t headSize = 1 + varintSize(resourceSpans) + resourceFieldSize_ + 1 +
                          varintSize(scopeSpans) + scopeFieldSize;
  start_ = spansAt_ - headSize;
  char* p = out_.data() + start_;
  p = putVarint(putTag(p, field::kRequestResourceSpans, kLength), resourceSpans);
  p = put(p, std::string_view(head_).substr(0, resourceFieldSize_));
  p = putVarint(putTag(p, field::kScopeSpans, kLength), scopeSpans);
  put(p, std::string_view(head_).substr(resourceFieldSize_));
  return out_.view().substr(start_);
}

}  // namespace switchyard
