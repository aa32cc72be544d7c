#include <charconv>

#include "telemetry/json_line.hpp"
#include "telemetry/span.hpp"

namespace switchyard {

namespace {

void appendInt(std::string& out, int64_t v) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, end);
}

template <size_t N>
void appendHexString(std::string& out, const std::array<uint8_t, N>& id) {
  out.push_back('"');
  appendHex(out, id.data(), id.size());
  out.push_back('"');
}

void appendStringAttribute(std::string& out, std::string_view key, std::string_view value) {
  out.append("{\"key\":\"");
  appendJsonEscaped(out, key);
  out.append("\",\"value\":{\"stringValue\":\"");
  appendJsonEscaped(out, value);
  out.append("\"}}");
}

void appendSpan(std::string& out, const SpanRecord& s) {
  out.append("{\"traceId\":");
  appendHexString(out, s.traceId);
  out.append(",\"spanId\":");
  appendHexString(out, s.spanId);
  if (s.hasParent) {
    out.append(",\"parentSpanId\":");
    appendHexString(out, s.parentSpanId);
  }
  out.append(",\"name\":\"");
  appendJsonEscaped(out, s.name);
  out.append("\",\"kind\":");
  appendInt(out, int64_t(s.kind));
  out.append(",\"startTimeUnixNano\":\"");
  appendInt(out, s.startUnixNano);
  out.append("\",\"endTimeUnixNano\":\"");
  appendInt(out, s.endUnixNano);
  out.append("\",\"attributes\":[");
  bool first = true;
  for (const auto& a : s.attributes) {
    if (!first) out.push_back(',');
    first = false;
    out.append("{\"key\":\"");
    appendJsonEscaped(out, a.key);
    out.append("\",\"value\":{");
    if (const auto* str = std::get_if<std::string>(&a.value)) {
      out.append("\"stringValue\":\"");
      appendJsonEscaped(out, *str);
      out.push_back('"');
    } else if (const auto* i = std::get_if<int64_t>(&a.value)) {
      out.append("\"intValue\":\"");
      appendInt(out, *i);
      out.push_back('"');
    } else if (const auto* d = std::get_if<double>(&a.value)) {
      out.append("\"doubleValue\":");
      appendJsonNumber(out, *d);
    } else {
      out.append("\"boolValue\":").append(std::get<bool>(a.value) ? "true" : "false");
    }
    out.append("}}");
  }
  out.append("],\"status\":{\"code\":");
  out.append(s.error ? "2" : "0");
  if (s.error && !s.statusMessage.empty()) {
    out.append(",\"message\":\"");
    appendJsonEscaped(out, s.statusMessage);
    out.push_back('"');
  }
  out.append("}}");
}

}  // namespace

std::string encodeOtlpTraces(const std::vector<SpanRecord>& spans, const TraceResource& resource) {
  std::string out;
  out.reserve(512 + spans.size() * 900);
  out.append("{\"resourceSpans\":[{\"resource\":{\"attributes\":[");
  appendStringAttribute(out, "service.name", resource.serviceName);
  out.push_back(',');
  appendStringAttribute(out, "service.version", resource.serviceVersion);
  out.push_back(',');
  appendStringAttribute(out, "telemetry.sdk.name", "switchyard");
  out.push_back(',');
  appendStringAttribute(out, "telemetry.sdk.language", "cpp");
  out.append("]},\"scopeSpans\":[{\"scope\":{\"name\":\"switchyard\",\"version\":\"");
  appendJsonEscaped(out, resource.serviceVersion);
  out.append("\"},\"spans\":[");
  for (size_t i = 0; i < spans.size(); ++i) {
    if (i > 0) out.push_back(',');
    appendSpan(out, spans[i]);
  }
  out.append("]}]}]}");
  return out;
}

}  // namespace switchyard
