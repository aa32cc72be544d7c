// switchyard_settings' telemetry keys, LiteLLM's `callbacks: ["otel"]`, and the standard
// OpenTelemetry environment variables.

#include "config/telemetry_settings.hpp"

#include <charconv>

#include "config/sections.hpp"

namespace switchyard::config_detail {

namespace {

// OTEL_EXPORTER_OTLP_HEADERS: "name=value,name2=value2", values percent-encoded.
std::vector<std::pair<std::string, std::string>> parseOtlpHeaders(std::string_view text,
                                                                  const std::string& path,
                                                                  ParseContext& ctx) {
  std::vector<std::pair<std::string, std::string>> out;
  auto trim = [](std::string_view s) {
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
    return s;
  };
  while (!text.empty()) {
    const size_t comma = text.find(',');
    std::string_view item = trim(text.substr(0, comma));
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    if (item.empty()) continue;
    const size_t eq = item.find('=');
    if (eq == std::string_view::npos || trim(item.substr(0, eq)).empty()) {
      ctx.warn(path, "header entry without name=value: ignored");
      continue;
    }
    std::string value;
    const std::string_view raw = trim(item.substr(eq + 1));
    for (size_t i = 0; i < raw.size(); ++i) {
      unsigned byte = 0;
      if (raw[i] == '%' && i + 2 < raw.size() &&
          std::from_chars(raw.data() + i + 1, raw.data() + i + 3, byte, 16).ptr ==
              raw.data() + i + 3) {
        value.push_back(char(byte));
        i += 2;
      } else {
        value.push_back(raw[i]);
      }
    }
    out.emplace_back(std::string(trim(item.substr(0, eq))), std::move(value));
  }
  return out;
}

bool callbacksAsk(const Snapshot& snap, std::string_view name) {
  for (const char* key : {"callbacks", "success_callback"}) {
    const auto* v = snap.litellmSettings.if_contains(key);
    if (v == nullptr) continue;
    if (v->is_string() && v->get_string() == name) return true;
    if (!v->is_array()) continue;
    for (const auto& item : v->get_array()) {
      if (item.is_string() && item.get_string() == name) return true;
    }
  }
  return false;
}

std::string withTracesPath(std::string base) {
  while (!base.empty() && base.back() == '/') base.pop_back();
  if (!base.ends_with("/v1/traces")) base += "/v1/traces";
  return base;
}

// OTEL_EXPORTER_OTLP_PROTOCOL's values; gRPC is not spoken, so it falls back to http/json.
void resolveProtocol(TelemetrySettings& t, ParseContext& ctx) {
  std::string where = "switchyard_settings.otel_protocol";
  std::optional<std::string> text = t.configured.protocol;
  for (const char* name : {"OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "OTEL_EXPORTER_OTLP_PROTOCOL"}) {
    if (text) break;
    if (auto env = ctx.getenv(name)) {
      text = std::string(*env);
      where = name;
    }
  }
  if (!text || *text == "http/json") {
    t.otlpProtocol = TelemetrySettings::OtlpProtocol::kHttpJson;
  } else if (*text == "http/protobuf") {
    t.otlpProtocol = TelemetrySettings::OtlpProtocol::kHttpProtobuf;
  } else {
    ctx.warn(where, "'" + *text +
                        "' is not a supported OTLP protocol (http/json, http/protobuf): "
                        "http/json is used");
    t.otlpProtocol = TelemetrySettings::OtlpProtocol::kHttpJson;
  }
}

template <class T>
void envNumber(ParseContext& ctx, std::string_view name, T& out, T min) {
  auto text = ctx.getenv(name);
  if (!text) return;
  T value{};
  auto [p, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (ec != std::errc{} || p != text->data() + text->size() || value < min) {
    ctx.warn(std::string(name), "not a valid number: ignored");
    return;
  }
  out = value;
}

}  // namespace

bool parseTelemetryKey(const std::string& key, const YAML::Node& value, const std::string& p,
                       TelemetrySettings& t, ParseContext& ctx) {
  auto& request = t.configured;
  if (key == "metrics") {
    if (auto b = readBool(value, p, ctx)) t.metrics = *b;
  } else if (key == "access_log") {
    // PyYAML reads off/on/no/yes as booleans.
    const Scalar s = classify(value);
    if (s.kind == Scalar::Kind::kBool) {
      t.accessLog =
          s.boolean ? TelemetrySettings::AccessLog::kStdout : TelemetrySettings::AccessLog::kOff;
    } else if (auto v = readString(value, p, ctx)) {
      if (*v == "stdout") {
        t.accessLog = TelemetrySettings::AccessLog::kStdout;
      } else if (*v == "off" || *v == "none" || v->empty()) {
        t.accessLog = TelemetrySettings::AccessLog::kOff;
      } else {
        t.accessLog = TelemetrySettings::AccessLog::kFile;
        t.accessLogPath = *v;
      }
    }
  } else if (key == "otel") {
    if (auto b = readBool(value, p, ctx)) request.otel = *b;
  } else if (key == "otel_endpoint") {
    if (auto v = readString(value, p, ctx)) {
      request.endpoint = *v;
      request.endpointPath = p;
      request.otel = true;
    }
  } else if (key == "otel_sample_ratio") {
    if (auto r = readNumber(value, p, ctx, 0, 1)) request.sampleRatio = *r;
  } else if (key == "otel_certificate") {
    if (auto v = readString(value, p, ctx)) t.otlpCaFile = *v;
  } else if (key == "otel_protocol") {
    if (auto v = readString(value, p, ctx)) request.protocol = *v;
  } else if (key == "otel_service_name") {
    if (auto v = readString(value, p, ctx)) t.serviceName = *v;
  } else {
    return false;
  }
  return true;
}

void resolveTelemetry(Snapshot& snap, ParseContext& ctx) {
  TelemetrySettings& t = snap.server.telemetry;
  const auto& request = t.configured;
  const auto tracesEnv = ctx.getenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT");
  const auto baseEnv = ctx.getenv("OTEL_EXPORTER_OTLP_ENDPOINT");
  const auto litellmEnv = ctx.getenv("OTEL_ENDPOINT");  // LiteLLM's own variable
  bool wanted = request.otel.value_or(callbacksAsk(snap, "otel") || tracesEnv || baseEnv);
  if (ctx.getenv("OTEL_SDK_DISABLED") == "true" || ctx.getenv("OTEL_TRACES_EXPORTER") == "none") {
    wanted = false;
  }
  if (auto name = ctx.getenv("OTEL_SERVICE_NAME"); name && t.serviceName == "switchyard") {
    t.serviceName = *name;
  }
  const auto sampler = ctx.getenv("OTEL_TRACES_SAMPLER");
  if (sampler == "always_off" || sampler == "parentbased_always_off") t.sampleRatio = 0;
  if (sampler == "traceidratio" || sampler == "parentbased_traceidratio") {
    envNumber(ctx, "OTEL_TRACES_SAMPLER_ARG", t.sampleRatio, 0.0);
    t.sampleRatio = std::min(t.sampleRatio, 1.0);
  }
  if (request.sampleRatio) t.sampleRatio = *request.sampleRatio;
  int64_t delayMs = t.exportInterval.count();
  envNumber(ctx, "OTEL_BSP_SCHEDULE_DELAY", delayMs, int64_t(1));
  t.exportInterval = std::chrono::milliseconds(delayMs);
  envNumber(ctx, "OTEL_BSP_MAX_QUEUE_SIZE", t.maxQueueSize, size_t(1));
  envNumber(ctx, "OTEL_BSP_MAX_EXPORT_BATCH_SIZE", t.maxExportBatchSize, size_t(1));
  int64_t timeoutMs = t.exportTimeout.count();
  envNumber(ctx, "OTEL_EXPORTER_OTLP_TRACES_TIMEOUT", timeoutMs, int64_t(1));
  t.exportTimeout = std::chrono::milliseconds(timeoutMs);
  if (!wanted) return;

  std::string where = "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT";
  std::string endpoint;
  if (request.endpoint) {
    endpoint = *request.endpoint;
    where = request.endpointPath;
  } else if (tracesEnv) {
    endpoint = *tracesEnv;  // used as given, per the OpenTelemetry specification
  } else if (baseEnv) {
    endpoint = withTracesPath(*baseEnv);
    where = "OTEL_EXPORTER_OTLP_ENDPOINT";
  } else if (litellmEnv) {
    endpoint = withTracesPath(*litellmEnv);
    where = "OTEL_ENDPOINT";
  } else {
    endpoint = "http://localhost:4318/v1/traces";
  }
  auto url = parseUrl(endpoint);
  if (!url) {
    // Tracing is a feature, not routing: a bad endpoint is reported and tracing stays off.
    ctx.warn(where,
             "not a valid OTLP/HTTP traces URL (" + url.error().message + "): tracing is off");
    return;
  }
  t.tracing = true;
  t.otlpTracesUrl = *url;
  resolveProtocol(t, ctx);
  if (t.otlpCaFile.empty()) {
    for (const char* name :
         {"OTEL_EXPORTER_OTLP_TRACES_CERTIFICATE", "OTEL_EXPORTER_OTLP_CERTIFICATE"}) {
      if (auto file = ctx.getenv(name)) {
        t.otlpCaFile = std::string(*file);
        break;
      }
    }
  }
  if (auto h = ctx.getenv("OTEL_EXPORTER_OTLP_TRACES_HEADERS")) {
    t.otlpHeaders = parseOtlpHeaders(*h, "OTEL_EXPORTER_OTLP_TRACES_HEADERS", ctx);
  } else if (auto h = ctx.getenv("OTEL_EXPORTER_OTLP_HEADERS")) {
    t.otlpHeaders = parseOtlpHeaders(*h, "OTEL_EXPORTER_OTLP_HEADERS", ctx);
  } else if (auto h = ctx.getenv("OTEL_HEADERS")) {
    t.otlpHeaders = parseOtlpHeaders(*h, "OTEL_HEADERS", ctx);
  }
}

}  // namespace switchyard::config_detail
