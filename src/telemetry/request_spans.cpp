#include "telemetry/request_spans.hpp"

namespace switchyard {

namespace {

using Clock = std::chrono::steady_clock;

// Steady times to Unix nanoseconds, through one reading of both clocks.
struct ClockMap {
  Clock::time_point steady = Clock::now();
  int64_t unixNanos = std::chrono::duration_cast<std::chrono::nanoseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  int64_t operator()(Clock::time_point t) const {
    return unixNanos - std::chrono::duration_cast<std::chrono::nanoseconds>(steady - t).count();
  }
};

void addRequestParameters(SpanRecord& s, const ApiRequest& r) {
  auto number = [&](std::string_view field, std::string_view key) {
    const auto* v = r.body.if_contains(field);
    if (v == nullptr) return;
    if (v->is_int64()) s.add(key, v->get_int64());
    if (v->is_uint64()) s.add(key, int64_t(v->get_uint64()));
    if (v->is_double()) s.add(key, v->get_double());
  };
  number("max_tokens", "gen_ai.request.max_tokens");
  number("max_completion_tokens", "gen_ai.request.max_tokens");
  number("temperature", "gen_ai.request.temperature");
  number("top_p", "gen_ai.request.top_p");
}

void addUsage(SpanRecord& s, const Usage& u) {
  if (!u.present) return;
  s.add("gen_ai.usage.input_tokens", u.promptTokens);
  s.add("gen_ai.usage.output_tokens", u.completionTokens);
  if (u.cachedPromptTokens > 0) s.add("gen_ai.usage.cache_read.input_tokens", u.cachedPromptTokens);
}

}  // namespace

std::string_view genAiProviderName(std::string_view p) {
  if (p == "azure") return "azure.ai.openai";
  if (p == "gemini") return "gcp.gemini";
  if (p == "vertex_ai") return "gcp.vertex_ai";
  if (p == "bedrock") return "aws.bedrock";
  if (p == "mistral") return "mistral_ai";
  if (p == "xai") return "x_ai";
  return p;  // openai, anthropic, cohere, groq, deepseek, perplexity, ... as they are
}

std::string_view genAiOperation(Endpoint e) {
  switch (e) {
    case Endpoint::kChatCompletions:
      return "chat";
    case Endpoint::kCompletions:
      return "text_completion";
    case Endpoint::kEmbeddings:
      return "embeddings";
  }
  return "chat";
}

SpanRecord serverSpan(const RequestContext& ctx, Clock::time_point end) {
  const ClockMap toUnix;
  SpanRecord s;
  s.kind = SpanRecord::Kind::kServer;
  s.traceId = ctx.trace.traceId;
  s.spanId = ctx.trace.spanId;
  s.parentSpanId = ctx.trace.parentSpanId;
  s.hasParent = ctx.trace.hasParent;
  const std::string route = ctx.request.format == InboundFormat::kAnthropic
                                ? std::string("/v1/messages")
                                : "/v1" + std::string(endpointPath(ctx.request.endpoint));
  s.name = "POST " + route;
  s.startUnixNano = toUnix(ctx.start);
  s.endUnixNano = toUnix(end);
  s.attributes.reserve(16);
  s.add("http.request.method", std::string_view("POST"));
  s.add("http.route", route);
  s.add("http.response.status_code", int64_t(ctx.status));
  s.add("switchyard.request_id", ctx.requestId);
  s.add("gen_ai.operation.name", genAiOperation(ctx.request.endpoint));
  if (!ctx.request.model.empty()) s.add("gen_ai.request.model", ctx.request.model);
  if (!ctx.modelGroup.empty()) s.add("switchyard.model_group", ctx.modelGroup);
  if (ctx.deployment) {
    s.add("switchyard.deployment", ctx.deployment->id);
    s.add("gen_ai.provider.name", genAiProviderName(ctx.deployment->provider));
  }
  if (!ctx.keyAlias.empty()) s.add("switchyard.key_alias", ctx.keyAlias);
  s.add("switchyard.attempts", int64_t(ctx.attempts));
  if (ctx.retries > 0) s.add("switchyard.retries", int64_t(ctx.retries));
  if (ctx.fallbacks > 0) s.add("switchyard.fallbacks", int64_t(ctx.fallbacks));
  s.add("gen_ai.request.stream", ctx.request.stream);
  addUsage(s, ctx.usage);
  if (ctx.costKnown) s.add("switchyard.cost_usd", ctx.costUsd);
  if (!ctx.errorClass.empty()) s.add("error.type", ctx.errorClass);
  // HTTP server spans are errors for 5xx only; a 4xx is the client's mistake.
  s.error = ctx.status >= 500;
  return s;
}

SpanRecord attemptSpan(const RequestContext& ctx, const Deployment& d, const AttemptFacts& f) {
  const ClockMap toUnix;
  SpanRecord s;
  s.kind = SpanRecord::Kind::kClient;
  s.traceId = ctx.trace.traceId;
  s.spanId = f.spanId;
  s.parentSpanId = ctx.trace.spanId;
  s.hasParent = true;
  const std::string_view operation = genAiOperation(ctx.request.endpoint);
  s.name = std::string(operation) + " " + d.upstreamModel;
  s.startUnixNano = toUnix(f.start);
  s.endUnixNano = toUnix(f.end);
  s.attributes.reserve(16);
  s.add("gen_ai.operation.name", operation);
  s.add("gen_ai.provider.name", genAiProviderName(d.provider));
  s.add("gen_ai.system", genAiProviderName(d.provider));
  s.add("gen_ai.request.model", d.upstreamModel);
  addRequestParameters(s, ctx.request);
  s.add("server.address", d.apiBase.host);
  s.add("server.port", int64_t(d.apiBase.port));
  s.add("switchyard.deployment", d.id);
  if (f.httpStatus != 0) s.add("http.response.status_code", int64_t(f.httpStatus));
  if (f.errorType.empty()) {
    addUsage(s, ctx.usage);
  } else {
    s.add("error.type", f.errorType);
    s.error = true;
  }
  return s;
}

}  // namespace switchyard
