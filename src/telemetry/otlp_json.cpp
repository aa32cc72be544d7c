#include "telemetry/otlp_json.hpp"

#include "telemetry/span_attributes.hpp"

namespace switchyard {

namespace {

// The most one span's JSON takes besides its escaped text: ids, times, literal keys, numbers.
constexpr size_t kSpanFixedBytes = 4096;

template <size_t N>
char* putHexString(char* p, const std::array<uint8_t, N>& id) {
  *p++ = '"';
  p = putHex(p, id.data(), id.size());
  *p++ = '"';
  return p;
}

// The attribute list of one span, written through the cursor. Keys are literals with nothing
// to escape.
class Attributes {
 public:
  explicit Attributes(char* p) : p_(p) {}
  char* end() const { return p_; }

  void str(std::string_view k, std::string_view value) {
    key(k);
    p_ = put(p_, "\"stringValue\":\"");
    p_ = putJsonEscaped(p_, value);
    p_ = put(p_, "\"}}");
  }
  void num(std::string_view k, int64_t value) {
    key(k);
    p_ = put(p_, "\"intValue\":\"");
    p_ = putInt(p_, value);
    p_ = put(p_, "\"}}");
  }
  void real(std::string_view k, double value) {
    key(k);
    p_ = put(p_, "\"doubleValue\":");
    p_ = putJsonNumber(p_, value);
    p_ = put(p_, "}}");
  }
  void flag(std::string_view k, bool value) {
    key(k);
    p_ = put(p_, value ? std::string_view("\"boolValue\":true}}") : "\"boolValue\":false}}");
  }

 private:
  void key(std::string_view k) {
    if (!first_) *p_++ = ',';
    first_ = false;
    p_ = put(p_, "{\"key\":\"");
    p_ = put(p_, k);
    p_ = put(p_, "\",\"value\":{");
  }

  char* p_;
  bool first_ = true;
};

char* putResourceAttribute(char* p, std::string_view key, std::string_view value) {
  p = put(p, "{\"key\":\"");
  p = put(p, key);
  p = put(p, "\",\"value\":{\"stringValue\":\"");
  p = putJsonEscaped(p, value);
  return put(p, "\"}}");
}

}  // namespace

UnixTimeOfSteady UnixTimeOfSteady::now() {
  using namespace std::chrono;
  return {duration_cast<nanoseconds>(steady_clock::now().time_since_epoch()).count(),
          duration_cast<nanoseconds>(system_clock::now().time_since_epoch()).count()};
}

OtlpTraceBatch::OtlpTraceBatch(TextBuffer& out, const TraceResource& resource,
                               UnixTimeOfSteady clock)
    : out_(out), clock_(clock) {
  out_.clear();
  char* p = out_.reserve(1024 + kMaxJsonEscapedGrowth * (resource.serviceName.size() +
                                                         2 * resource.serviceVersion.size()));
  p = put(p, "{\"resourceSpans\":[{\"resource\":{\"attributes\":[");
  p = putResourceAttribute(p, "service.name", resource.serviceName);
  *p++ = ',';
  p = putResourceAttribute(p, "service.version", resource.serviceVersion);
  *p++ = ',';
  p = putResourceAttribute(p, "telemetry.sdk.name", "switchyard");
  *p++ = ',';
  p = putResourceAttribute(p, "telemetry.sdk.language", "cpp");
  p = put(p, "]},\"scopeSpans\":[{\"scope\":{\"name\":\"switchyard\",\"version\":\"");
  p = putJsonEscaped(p, resource.serviceVersion);
  p = put(p, "\"},\"spans\":[");
  out_.commit(p);
}

void OtlpTraceBatch::add(const SpanRecord& s) {
  // The text may be written twice (a client span's model is in its name and an attribute).
  char* p = out_.reserve(kSpanFixedBytes + 2 * kMaxJsonEscapedGrowth * s.textUsed);
  if (spans_++ > 0) *p++ = ',';
  const bool server = s.kind == SpanRecord::Kind::kServer;
  const SpanName name = spanName(s);
  p = put(p, "{\"traceId\":");
  p = putHexString(p, s.traceId);
  p = put(p, ",\"spanId\":");
  p = putHexString(p, s.spanId);
  if (s.hasParent) {
    p = put(p, ",\"parentSpanId\":");
    p = putHexString(p, s.parentSpanId);
  }
  p = put(p, ",\"name\":\"");
  p = put(p, name.first);
  if (!name.second.empty()) {
    *p++ = ' ';
    p = putJsonEscaped(p, name.second);
  }
  p = put(p, server ? std::string_view("\",\"kind\":2") : "\",\"kind\":3");
  p = put(p, ",\"startTimeUnixNano\":\"");
  p = putInt(p, clock_(s.startSteadyNanos));
  p = put(p, "\",\"endTimeUnixNano\":\"");
  p = putInt(p, clock_(s.endSteadyNanos));
  // An unset status (code 0) is the default, left out as the protobuf encoding leaves it out.
  p = put(p, s.error ? std::string_view("\",\"status\":{\"code\":2},\"attributes\":[")
                     : "\",\"attributes\":[");
  Attributes a(p);
  putSpanAttributes(a, s, name);
  p = put(a.end(), "]}");
  out_.commit(p);
}

std::string_view OtlpTraceBatch::finish() {
  out_.commit(put(out_.reserve(8), "]}]}]}"));
  return out_.view();
}

}  // namespace switchyard
