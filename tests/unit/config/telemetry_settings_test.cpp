// switchyard_settings' telemetry keys, LiteLLM's callbacks and the OTEL_* variables.

#include "config/telemetry_settings.hpp"

#include <gtest/gtest.h>

#include "config_test_util.hpp"

namespace switchyard {
namespace {

using namespace std::chrono_literals;
using testing::hasError;
using testing::hasWarning;
using testing::mapEnvironment;

constexpr std::string_view kModels = R"yaml(
model_list:
  - model_name: m
    litellm_params: {model: openai/m, api_key: k}
)yaml";

LoadResult load(std::string_view extra, std::map<std::string, std::string, std::less<>> env = {}) {
  return loadConfigText(std::string(kModels) + std::string(extra), mapEnvironment(std::move(env)),
                        "test");
}

TEST(TelemetrySettings, DefaultsMetricsOnLogAndTracingOff) {
  auto r = load("");
  ASSERT_TRUE(r.ok());
  const auto& t = r.snapshot->server.telemetry;
  EXPECT_TRUE(t.metrics);
  EXPECT_EQ(t.accessLog, TelemetrySettings::AccessLog::kOff);
  EXPECT_FALSE(t.tracing);
}

TEST(TelemetrySettings, AccessLogTargets) {
  using AccessLog = TelemetrySettings::AccessLog;
  EXPECT_EQ(
      load("switchyard_settings: {access_log: stdout}\n").snapshot->server.telemetry.accessLog,
      AccessLog::kStdout);
  EXPECT_EQ(load("switchyard_settings: {access_log: off}\n").snapshot->server.telemetry.accessLog,
            AccessLog::kOff);
  EXPECT_EQ(load("switchyard_settings: {access_log: true}\n").snapshot->server.telemetry.accessLog,
            AccessLog::kStdout);
  auto file = load("switchyard_settings: {access_log: /var/log/sy.jsonl, metrics: false}\n");
  EXPECT_EQ(file.snapshot->server.telemetry.accessLog, AccessLog::kFile);
  EXPECT_EQ(file.snapshot->server.telemetry.accessLogPath, "/var/log/sy.jsonl");
  EXPECT_FALSE(file.snapshot->server.telemetry.metrics);
}

TEST(TelemetrySettings, LitellmOtelCallbackUsesTheStandardVariables) {
  auto r = load("litellm_settings: {callbacks: [\"otel\", \"prometheus\"]}\n",
                {{"OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318/"},
                 {"OTEL_EXPORTER_OTLP_HEADERS", "api-key=a%20b, x=y"},
                 {"OTEL_SERVICE_NAME", "gw"},
                 {"OTEL_BSP_SCHEDULE_DELAY", "250"}});
  ASSERT_TRUE(r.ok()) << testing::allDiagnostics(r);
  EXPECT_FALSE(hasWarning(r, "litellm_settings.callbacks", ""));
  const auto& t = r.snapshot->server.telemetry;
  EXPECT_TRUE(t.tracing);
  EXPECT_EQ(t.otlpTracesUrl.toString(), "http://collector:4318/v1/traces");
  ASSERT_EQ(t.otlpHeaders.size(), 2u);
  EXPECT_EQ(t.otlpHeaders[0].first, "api-key");
  EXPECT_EQ(t.otlpHeaders[0].second, "a b");
  EXPECT_EQ(t.serviceName, "gw");
  EXPECT_EQ(t.exportInterval, 250ms);
}

TEST(TelemetrySettings, EndpointPrecedenceAndDefaults) {
  auto traces = load("", {{"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://a:1/custom"},
                          {"OTEL_EXPORTER_OTLP_ENDPOINT", "http://b:2"}});
  EXPECT_EQ(traces.snapshot->server.telemetry.otlpTracesUrl.toString(), "http://a:1/custom");
  auto configured = load("switchyard_settings: {otel_endpoint: \"http://c:3/v1/traces\"}\n",
                         {{"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://a:1/custom"}});
  EXPECT_EQ(configured.snapshot->server.telemetry.otlpTracesUrl.toString(), "http://c:3/v1/traces");
  auto fallback = load("switchyard_settings: {otel: true}\n");
  EXPECT_TRUE(fallback.snapshot->server.telemetry.tracing);
  EXPECT_EQ(fallback.snapshot->server.telemetry.otlpTracesUrl.toString(),
            "http://localhost:4318/v1/traces");
  auto disabled = load("switchyard_settings: {otel: true}\n", {{"OTEL_SDK_DISABLED", "true"}});
  EXPECT_FALSE(disabled.snapshot->server.telemetry.tracing);
  auto off =
      load("switchyard_settings: {otel: false}\n", {{"OTEL_EXPORTER_OTLP_ENDPOINT", "http://b:2"}});
  EXPECT_FALSE(off.snapshot->server.telemetry.tracing);
}

TEST(TelemetrySettings, SamplingFromConfigOrEnvironment) {
  auto env = load("", {{"OTEL_EXPORTER_OTLP_ENDPOINT", "http://b:2"},
                       {"OTEL_TRACES_SAMPLER", "parentbased_traceidratio"},
                       {"OTEL_TRACES_SAMPLER_ARG", "0.25"}});
  EXPECT_DOUBLE_EQ(env.snapshot->server.telemetry.sampleRatio, 0.25);
  auto cfg = load("switchyard_settings: {otel: true, otel_sample_ratio: 0.5}\n");
  EXPECT_DOUBLE_EQ(cfg.snapshot->server.telemetry.sampleRatio, 0.5);
  auto bad = load("switchyard_settings: {otel_sample_ratio: 2}\n");
  EXPECT_TRUE(hasError(bad, "switchyard_settings.otel_sample_ratio"));
}

TEST(TelemetrySettings, HttpsCollectorsWithAnOptionalCaFile) {
  auto https = load("switchyard_settings: {otel_endpoint: \"https://c:3/v1/traces\"}\n",
                    {{"OTEL_EXPORTER_OTLP_CERTIFICATE", "/etc/ca.pem"}});
  const auto& t = https.snapshot->server.telemetry;
  EXPECT_TRUE(t.tracing);
  EXPECT_TRUE(t.otlpTracesUrl.tls);
  EXPECT_EQ(t.otlpCaFile, "/etc/ca.pem");
  auto own = load(
      "switchyard_settings: {otel_endpoint: \"https://c:3/v1/traces\", "
      "otel_certificate: /mine.pem}\n",
      {{"OTEL_EXPORTER_OTLP_TRACES_CERTIFICATE", "/etc/ca.pem"}});
  EXPECT_EQ(own.snapshot->server.telemetry.otlpCaFile, "/mine.pem");
  auto system = load("switchyard_settings: {otel_endpoint: \"https://c:3/v1/traces\"}\n");
  EXPECT_TRUE(system.snapshot->server.telemetry.otlpCaFile.empty());
}

TEST(TelemetrySettings, OtlpProtocol) {
  const std::string on = "switchyard_settings: {otel: true}\n";
  using P = TelemetrySettings::OtlpProtocol;
  EXPECT_EQ(load(on).snapshot->server.telemetry.otlpProtocol, P::kHttpJson);
  EXPECT_EQ(load(on, {{"OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"}})
                .snapshot->server.telemetry.otlpProtocol,
            P::kHttpProtobuf);
  // The traces variable wins over the general one, and the config key over both.
  EXPECT_EQ(load(on, {{"OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"},
                      {"OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "http/json"}})
                .snapshot->server.telemetry.otlpProtocol,
            P::kHttpJson);
  EXPECT_EQ(load("switchyard_settings: {otel: true, otel_protocol: http/protobuf}\n",
                 {{"OTEL_EXPORTER_OTLP_PROTOCOL", "http/json"}})
                .snapshot->server.telemetry.otlpProtocol,
            P::kHttpProtobuf);
  auto grpc = load(on, {{"OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"}});
  EXPECT_TRUE(hasWarning(grpc, "OTEL_EXPORTER_OTLP_PROTOCOL", "not a supported OTLP protocol"));
  EXPECT_EQ(grpc.snapshot->server.telemetry.otlpProtocol, P::kHttpJson);
}

TEST(TelemetrySettings, BadEndpointsAreReported) {
  auto garbage = load("", {{"OTEL_EXPORTER_OTLP_ENDPOINT", "collector:4318"}});
  EXPECT_TRUE(hasWarning(garbage, "OTEL_EXPORTER_OTLP_ENDPOINT", "tracing is off"));
  EXPECT_FALSE(garbage.snapshot->server.telemetry.tracing);
}

TEST(TelemetrySettings, OtherCallbacksStillWarn) {
  auto r = load("litellm_settings: {callbacks: [\"otel\", \"langfuse\"]}\n");
  EXPECT_TRUE(hasWarning(r, "litellm_settings.callbacks", "not supported yet"));
}

}  // namespace
}  // namespace switchyard
