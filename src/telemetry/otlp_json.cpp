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
  out.append("{\"key\":\"").append(key).append("\",\"value\":{\"stringValue\":\"");
  appendJsonEscaped(out, value);
  out.append("\"}}");
}

}  // namespace

SpanBuilder::SpanBuilder(const TraceId& trace, const SpanId& span, const SpanId* parent, Kind kind,
                         std::string_view name, std::string_view nameSuffix, int64_t startUnixNano,
                         int64_t endUnixNano, bool error) {
  out_.reserve(1024);
  out_.append("{\"traceId\":");
  appendHexString(out_, trace);
  out_.append(",\"spanId\":");
  appendHexString(out_, span);
  if (parent != nullptr) {
    out_.append(",\"parentSpanId\":");
    appendHexString(out_, *parent);
  }
  out_.append(",\"name\":\"");
  appendJsonEscaped(out_, name);
  if (!nameSuffix.empty()) {
    out_.push_back(' ');
    appendJsonEscaped(out_, nameSuffix);
  }
  out_.append("\",\"kind\":");
  appendInt(out_, int64_t(kind));
  out_.append(",\"startTimeUnixNano\":\"");
  appendInt(out_, startUnixNano);
  out_.append("\",\"endTimeUnixNano\":\"");
  appendInt(out_, endUnixNano);
  out_.append(error ? "\",\"status\":{\"code\":2},\"attributes\":["
                    : "\",\"status\":{\"code\":0},\"attributes\":[");
}

void SpanBuilder::key(std::string_view k) {
  if (!first_) out_.push_back(',');
  first_ = false;
  out_.append("{\"key\":\"").append(k).append("\",\"value\":{");
}

SpanBuilder& SpanBuilder::str(std::string_view k, std::string_view value) {
  key(k);
  out_.append("\"stringValue\":\"");
  appendJsonEscaped(out_, value);
  out_.append("\"}}");
  return *this;
}

SpanBuilder& SpanBuilder::num(std::string_view k, int64_t value) {
  key(k);
  out_.append("\"intValue\":\"");
  appendInt(out_, value);
  out_.append("\"}}");
  return *this;
}

SpanBuilder& SpanBuilder::real(std::string_view k, double value) {
  key(k);
  out_.append("\"doubleValue\":");
  appendJsonNumber(out_, value);
  out_.append("}}");
  return *this;
}

SpanBuilder& SpanBuilder::flag(std::string_view k, bool value) {
  key(k);
  out_.append(value ? "\"boolValue\":true}}" : "\"boolValue\":false}}");
  return *this;
}

std::string SpanBuilder::finish() && {
  out_.append("]}");
  return std::move(out_);
}

std::string encodeOtlpTraces(const std::vector<std::string>& spans, const TraceResource& resource) {
  size_t size = 512;
  for (const auto& s : spans) size += s.size() + 1;
  std::string out;
  out.reserve(size);
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
    out.append(spans[i]);
  }
  out.append("]}]}]}");
  return out;
}

}  // namespace switchyard
