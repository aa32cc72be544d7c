#pragma once
// Which attributes a span record carries, and its name, whatever the encoding: the OTLP JSON and
// protobuf encoders hand their own attribute writer to these, so both always say the same.
// A writer has str, num (int64), real (double) and flag (bool) taking a key and a value.

#include <string_view>

#include "telemetry/request_spans.hpp"
#include "telemetry/span_record.hpp"

namespace switchyard {

// The span name in two parts joined by a space: "POST <route>" for the server span,
// "<operation> <model>" for a client span. `second` may be empty.
struct SpanName {
  std::string_view first;
  std::string_view second;
};

inline SpanName spanName(const SpanRecord& s) {
  if (s.kind == SpanRecord::Kind::kServer) return {"POST", httpRoute(s.endpoint, s.format)};
  return {genAiOperation(s.endpoint), s.view(s.upstreamModel)};
}

// Most requests set none of these: the check is inline, the writing is not.
template <class Writer>
[[gnu::noinline]] void putPresentNumberAttribute(Writer& a, std::string_view key,
                                                 const SpanNumber& n) {
  if (n.type == SpanNumber::Type::kInt) a.num(key, n.i);
  if (n.type == SpanNumber::Type::kReal) a.real(key, n.d);
}

template <class Writer>
inline void putNumberAttribute(Writer& a, std::string_view key, const SpanNumber& n) {
  if (n.type != SpanNumber::Type::kNone) putPresentNumberAttribute(a, key, n);
}

template <class Writer>
void putStringIfAny(Writer& a, std::string_view key, std::string_view value) {
  if (!value.empty()) a.str(key, value);
}

template <class Writer>
void putServerAttributes(Writer& a, const SpanRecord& s, std::string_view route) {
  a.str("http.request.method", "POST");
  a.str("http.route", route);
  a.num("http.response.status_code", s.httpStatus);
  a.str("switchyard.request_id", s.view(s.requestId));
  // The GenAI details (provider, usage, parameters) are on the client spans: each byte here is
  // paid on every traced request.
  putStringIfAny(a, "gen_ai.request.model", s.view(s.requestModel));
  putStringIfAny(a, "switchyard.model_group", s.view(s.modelGroup));
  putStringIfAny(a, "switchyard.deployment", s.view(s.deployment));
  putStringIfAny(a, "switchyard.key_alias", s.view(s.keyAlias));
  putStringIfAny(a, "switchyard.guardrails", s.view(s.guardrails));
  a.num("switchyard.attempts", s.attempts);
  if (s.retries > 0) a.num("switchyard.retries", s.retries);
  if (s.fallbacks > 0) a.num("switchyard.fallbacks", s.fallbacks);
  a.flag("gen_ai.request.stream", s.stream);
  if (s.costKnown) a.real("switchyard.cost_usd", s.costUsd);
  putStringIfAny(a, "error.type", s.view(s.errorType));
}

template <class Writer>
void putClientAttributes(Writer& a, const SpanRecord& s, std::string_view operation) {
  a.str("gen_ai.operation.name", operation);
  a.str("gen_ai.provider.name", s.view(s.provider));
  a.str("gen_ai.request.model", s.view(s.upstreamModel));
  putNumberAttribute(a, "gen_ai.request.max_tokens", s.maxTokens);
  putNumberAttribute(a, "gen_ai.request.max_tokens", s.maxCompletionTokens);
  putNumberAttribute(a, "gen_ai.request.temperature", s.temperature);
  putNumberAttribute(a, "gen_ai.request.top_p", s.topP);
  a.str("server.address", s.view(s.serverAddress));
  a.num("server.port", s.serverPort);
  a.str("switchyard.deployment", s.view(s.deployment));
  if (s.httpStatus != 0) a.num("http.response.status_code", s.httpStatus);
  if (s.usagePresent) {
    a.num("gen_ai.usage.input_tokens", s.inputTokens);
    a.num("gen_ai.usage.output_tokens", s.outputTokens);
    if (s.cachedInputTokens > 0) a.num("gen_ai.usage.cache_read.input_tokens", s.cachedInputTokens);
  }
  putStringIfAny(a, "error.type", s.view(s.errorType));
}

// Every attribute of the span, through the writer.
template <class Writer>
void putSpanAttributes(Writer& a, const SpanRecord& s, const SpanName& name) {
  if (s.kind == SpanRecord::Kind::kServer) {
    putServerAttributes(a, s, name.second);
  } else {
    putClientAttributes(a, s, name.first);
  }
}

}  // namespace switchyard
