#pragma once
// The spans of one request, recorded from its context: a server span for the request and a
// client span per upstream attempt, with OpenTelemetry's HTTP and GenAI attributes (named when
// the exporter encodes them, see otlp_json.cpp).

#include <chrono>
#include <string_view>

#include "stages/request_context.hpp"
#include "telemetry/span_record.hpp"

namespace switchyard {

void recordServerSpan(const RequestContext& ctx, std::chrono::steady_clock::time_point end,
                      SpanRecord& out);

struct AttemptFacts {
  SpanId spanId;
  std::chrono::steady_clock::time_point start;
  std::chrono::steady_clock::time_point end;
  int httpStatus = 0;          // the upstream's, 0 when none arrived
  std::string_view errorType;  // empty when the attempt answered the client
};

void recordAttemptSpan(const RequestContext& ctx, const Deployment& deployment,
                       const AttemptFacts& facts, SpanRecord& out);

// gen_ai.provider.name for a LiteLLM provider prefix ("azure" → "azure.ai.openai", ...).
std::string_view genAiProviderName(std::string_view provider);
// gen_ai.operation.name of an endpoint: "chat", "text_completion", "embeddings".
std::string_view genAiOperation(Endpoint endpoint);
// http.route of the endpoint a request came in on.
std::string_view httpRoute(Endpoint endpoint, InboundFormat format);

}  // namespace switchyard
