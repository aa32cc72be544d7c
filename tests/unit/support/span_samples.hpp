#pragma once
// Span records with every kind of attribute, for the tests of the two OTLP encodings.

#include <cstdint>

#include "telemetry/span_record.hpp"

namespace switchyard {

// A client span, its times 123 ns apart; `maxTokens` lets a test check signed numbers.
inline SpanRecord sampleClientSpan(uint8_t n, bool error = false, int64_t maxTokens = 12) {
  SpanRecord s;
  s.kind = SpanRecord::Kind::kClient;
  s.traceId.fill(n);
  s.spanId.fill(uint8_t(n + 1));
  s.hasParent = true;
  s.parentSpanId.fill(0x01);
  s.startSteadyNanos = 1'000;
  s.endSteadyNanos = 1'123;
  s.error = error;
  s.httpStatus = 429;
  s.serverPort = 8443;
  s.upstreamModel = s.keep("m\"x");
  s.provider = s.keep("openai");
  s.serverAddress = s.keep("api.example.com");
  s.deployment = s.keep("m#0");
  s.temperature = {SpanNumber::Type::kReal, 0, 0.5};
  s.maxTokens = {SpanNumber::Type::kInt, maxTokens, 0};
  if (error) s.errorType = s.keep("rate_limited");
  return s;
}

}  // namespace switchyard
