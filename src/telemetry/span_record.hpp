#pragma once
// A finished span as the worker leaves it for the exporter: fixed layout, no pointers and no heap,
// so that filling one costs a few stores and a copy of the request's short strings, and handing
// it over needs no lock. The exporter thread turns records into OTLP JSON (see otlp_json.cpp).

#include <cstdint>
#include <string_view>

#include "api/request.hpp"
#include "core/short_copy.hpp"
#include "telemetry/trace_context.hpp"

namespace switchyard {

// A string attribute's bytes inside SpanRecord::text.
struct SpanText {
  uint16_t offset = 0;
  uint16_t size = 0;
};

// A number the client sent (max_tokens, temperature, ...), absent, integral or not.
using SpanNumber = RequestNumber;

struct SpanRecord {
  enum class Kind : uint8_t { kServer = 2, kClient = 3 };  // OTLP's SpanKind numbers

  // Longest string attribute value kept, as OpenTelemetry's attribute value length limit: longer
  // values are cut (at a UTF-8 character boundary).
  static constexpr size_t kMaxValueLength = 256;
  static constexpr size_t kTextCapacity = 512;

  // Copies `value` into `text`, cut to the limit and to the room left. Values are short (names,
  // ids) or empty (no key alias, no error): those are copied here, without a call.
  SpanText keep(std::string_view value) {
    if (value.size() > kMaxValueLength || value.size() > kTextCapacity - textUsed) {
      value = cut(value);
    }
    copyShort(text + textUsed, value.data(), value.size());
    const SpanText kept{textUsed, uint16_t(value.size())};
    textUsed = uint16_t(textUsed + value.size());
    return kept;
  }
  std::string_view view(SpanText t) const { return {text + t.offset, t.size}; }

  Kind kind = Kind::kServer;
  bool hasParent = false;
  bool error = false;
  bool stream = false;
  bool costKnown = false;
  bool usagePresent = false;
  Endpoint endpoint = Endpoint::kChatCompletions;
  InboundFormat format = InboundFormat::kOpenAi;
  TraceId traceId{};
  SpanId spanId{};
  SpanId parentSpanId{};
  // steady_clock time since its epoch, in nanoseconds; the exporter maps them to Unix time.
  int64_t startSteadyNanos = 0;
  int64_t endSteadyNanos = 0;
  int32_t httpStatus = 0;  // 0: none (a client span whose upstream never answered)
  int32_t attempts = 0;
  int32_t retries = 0;
  int32_t fallbacks = 0;
  int32_t serverPort = 0;
  double costUsd = 0;
  int64_t inputTokens = 0;
  int64_t outputTokens = 0;
  int64_t cachedInputTokens = 0;
  SpanNumber maxTokens;
  SpanNumber maxCompletionTokens;
  SpanNumber temperature;
  SpanNumber topP;
  // Server spans: requestId, requestModel, modelGroup, deployment, keyAlias, errorType,
  // guardrails (what each guardrail did: GuardrailRun::summary).
  // Client spans: upstreamModel, provider, serverAddress, deployment, errorType.
  SpanText requestId, requestModel, modelGroup, deployment, keyAlias, errorType, guardrails;
  SpanText upstreamModel, provider, serverAddress;
  uint16_t textUsed = 0;
  char text[kTextCapacity];

 private:
  // The longest start of `value` within the limit and the room left that ends on a UTF-8
  // character boundary.
  std::string_view cut(std::string_view value) const;
};

}  // namespace switchyard
