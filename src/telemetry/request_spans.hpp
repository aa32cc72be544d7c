#pragma once
// The spans of one request, built from its context: a server span for the request and a
// client span per upstream attempt, with OpenTelemetry's HTTP and GenAI attribute names.
// Each is returned as its OTLP JSON object (see SpanBuilder).

#include <chrono>
#include <string>
#include <string_view>

#include "stages/request_context.hpp"
#include "telemetry/span.hpp"

namespace switchyard {

std::string serverSpan(const RequestContext& ctx, std::chrono::steady_clock::time_point end);

struct AttemptFacts {
  SpanId spanId;
  std::chrono::steady_clock::time_point start;
  std::chrono::steady_clock::time_point end;
  int httpStatus = 0;          // the upstream's, 0 when none arrived
  std::string_view errorType;  // empty when the attempt answered the client
};

std::string attemptSpan(const RequestContext& ctx, const Deployment& deployment,
                        const AttemptFacts& facts);

// gen_ai.provider.name for a LiteLLM provider prefix ("azure" → "azure.ai.openai", ...).
std::string_view genAiProviderName(std::string_view provider);
// gen_ai.operation.name of an endpoint: "chat", "text_completion", "embeddings".
std::string_view genAiOperation(Endpoint endpoint);

}  // namespace switchyard
