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

// The route the request came in on, as http.route.
std::string_view routeOf(const ApiRequest& r) {
  if (r.format == InboundFormat::kAnthropic) return "/v1/messages";
  switch (r.endpoint) {
    case Endpoint::kChatCompletions:
      return "/v1/chat/completions";
    case Endpoint::kCompletions:
      return "/v1/completions";
    case Endpoint::kEmbeddings:
      return "/v1/embeddings";
  }
  return "/v1/chat/completions";
}

void addRequestParameters(SpanBuilder& s, const ApiRequest& r) {
  auto number = [&](std::string_view field, std::string_view key) {
    const auto* v = r.body.if_contains(field);
    if (v == nullptr) return;
    if (v->is_int64()) s.num(key, v->get_int64());
    if (v->is_uint64()) s.num(key, int64_t(v->get_uint64()));
    if (v->is_double()) s.real(key, v->get_double());
  };
  number("max_tokens", "gen_ai.request.max_tokens");
  number("max_completion_tokens", "gen_ai.request.max_tokens");
  number("temperature", "gen_ai.request.temperature");
  number("top_p", "gen_ai.request.top_p");
}

void addUsage(SpanBuilder& s, const Usage& u) {
  if (!u.present) return;
  s.num("gen_ai.usage.input_tokens", u.promptTokens);
  s.num("gen_ai.usage.output_tokens", u.completionTokens);
  if (u.cachedPromptTokens > 0) s.num("gen_ai.usage.cache_read.input_tokens", u.cachedPromptTokens);
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

std::string serverSpan(const RequestContext& ctx, Clock::time_point end) {
  const ClockMap toUnix;
  const std::string_view route = routeOf(ctx.request);
  // HTTP server spans are errors for 5xx only; a 4xx is the client's mistake.
  SpanBuilder s(ctx.trace.traceId, ctx.trace.spanId,
                ctx.trace.hasParent ? &ctx.trace.parentSpanId : nullptr, SpanBuilder::Kind::kServer,
                "POST", route, toUnix(ctx.start), toUnix(end), ctx.status >= 500);
  s.str("http.request.method", "POST");
  s.str("http.route", route);
  s.num("http.response.status_code", ctx.status);
  s.str("switchyard.request_id", ctx.requestId);
  // The GenAI details (provider, usage, parameters) are on the client spans: each byte here is
  // paid on every traced request.
  if (!ctx.request.model.empty()) s.str("gen_ai.request.model", ctx.request.model);
  if (!ctx.modelGroup.empty()) s.str("switchyard.model_group", ctx.modelGroup);
  if (ctx.deployment) s.str("switchyard.deployment", ctx.deployment->id);
  if (!ctx.keyAlias.empty()) s.str("switchyard.key_alias", ctx.keyAlias);
  s.num("switchyard.attempts", ctx.attempts);
  if (ctx.retries > 0) s.num("switchyard.retries", ctx.retries);
  if (ctx.fallbacks > 0) s.num("switchyard.fallbacks", ctx.fallbacks);
  s.flag("gen_ai.request.stream", ctx.request.stream);
  if (ctx.costKnown) s.real("switchyard.cost_usd", ctx.costUsd);
  if (!ctx.errorClass.empty()) s.str("error.type", ctx.errorClass);
  return std::move(s).finish();
}

std::string attemptSpan(const RequestContext& ctx, const Deployment& d, const AttemptFacts& f) {
  const ClockMap toUnix;
  const std::string_view operation = genAiOperation(ctx.request.endpoint);
  const std::string_view provider = genAiProviderName(d.provider);
  SpanBuilder s(ctx.trace.traceId, f.spanId, &ctx.trace.spanId, SpanBuilder::Kind::kClient,
                operation, d.upstreamModel, toUnix(f.start), toUnix(f.end), !f.errorType.empty());
  s.str("gen_ai.operation.name", operation);
  s.str("gen_ai.provider.name", provider);
  s.str("gen_ai.request.model", d.upstreamModel);
  addRequestParameters(s, ctx.request);
  s.str("server.address", d.apiBase.host);
  s.num("server.port", d.apiBase.port);
  s.str("switchyard.deployment", d.id);
  if (f.httpStatus != 0) s.num("http.response.status_code", f.httpStatus);
  if (f.errorType.empty()) {
    addUsage(s, ctx.usage);
  } else {
    s.str("error.type", f.errorType);
  }
  return std::move(s).finish();
}

}  // namespace switchyard
