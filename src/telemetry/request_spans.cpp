#include "telemetry/request_spans.hpp"

#include "stages/guardrails/guardrail_run.hpp"

namespace switchyard {

namespace {

using Clock = std::chrono::steady_clock;

int64_t steadyNanos(Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
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
    // GenAI semantic conventions name no operation for these; LiteLLM's call types do.
    case Endpoint::kModerations:
      return "moderation";
    case Endpoint::kRerank:
      return "rerank";
    case Endpoint::kImageGenerations:
      return "image_generation";
    case Endpoint::kImageEdits:
      return "image_edit";
    case Endpoint::kImageVariations:
      return "image_variation";
    case Endpoint::kAudioSpeech:
      return "speech";
    case Endpoint::kAudioTranscriptions:
      return "transcription";
    case Endpoint::kAudioTranslations:
      return "translation";
  }
  return "chat";
}

std::string_view httpRoute(Endpoint e, InboundFormat format) {
  if (format == InboundFormat::kAnthropic) return "/v1/messages";
  if (format == InboundFormat::kResponses) return "/v1/responses";
  switch (e) {
    case Endpoint::kChatCompletions:
      return "/v1/chat/completions";
    case Endpoint::kCompletions:
      return "/v1/completions";
    case Endpoint::kEmbeddings:
      return "/v1/embeddings";
    case Endpoint::kModerations:
      return "/v1/moderations";
    case Endpoint::kRerank:
      return "/v1/rerank";
    case Endpoint::kImageGenerations:
      return "/v1/images/generations";
    case Endpoint::kImageEdits:
      return "/v1/images/edits";
    case Endpoint::kImageVariations:
      return "/v1/images/variations";
    case Endpoint::kAudioSpeech:
      return "/v1/audio/speech";
    case Endpoint::kAudioTranscriptions:
      return "/v1/audio/transcriptions";
    case Endpoint::kAudioTranslations:
      return "/v1/audio/translations";
  }
  return "/v1/chat/completions";
}

void recordServerSpan(const RequestContext& ctx, Clock::time_point end, SpanRecord& r) {
  r.kind = SpanRecord::Kind::kServer;
  r.traceId = ctx.trace.traceId;
  r.spanId = ctx.trace.spanId;
  r.hasParent = ctx.trace.hasParent;
  r.parentSpanId = ctx.trace.parentSpanId;
  r.startSteadyNanos = steadyNanos(ctx.start);
  r.endSteadyNanos = steadyNanos(end);
  // HTTP server spans are errors for 5xx only; a 4xx is the client's mistake.
  r.error = ctx.status >= 500;
  r.endpoint = ctx.request.endpoint;
  r.format = ctx.request.format;
  r.httpStatus = ctx.status;
  r.attempts = ctx.attempts;
  r.retries = ctx.retries;
  r.fallbacks = ctx.fallbacks;
  r.stream = ctx.request.stream;
  r.costKnown = ctx.costKnown;
  r.costUsd = ctx.costUsd;
  r.requestId = r.keep(ctx.requestId);
  r.requestModel = r.keep(ctx.request.model);
  r.modelGroup = r.keep(ctx.modelGroup);
  if (ctx.deployment) r.deployment = r.keep(ctx.deployment->id);
  r.keyAlias = r.keep(ctx.keyAlias);
  r.errorType = r.keep(ctx.errorClass);
  if (ctx.guardrails) r.guardrails = r.keep(ctx.guardrails->summary());
}

void recordAttemptSpan(const RequestContext& ctx, const Deployment& d, const AttemptFacts& f,
                       SpanRecord& r) {
  r.kind = SpanRecord::Kind::kClient;
  r.traceId = ctx.trace.traceId;
  r.spanId = f.spanId;
  r.hasParent = true;
  r.parentSpanId = ctx.trace.spanId;
  r.startSteadyNanos = steadyNanos(f.start);
  r.endSteadyNanos = steadyNanos(f.end);
  r.error = !f.errorType.empty();
  r.endpoint = ctx.request.endpoint;
  r.format = ctx.request.format;
  r.httpStatus = f.httpStatus;
  r.serverPort = d.apiBase.port;
  const SamplingParameters& parameters = ctx.request.parameters;
  r.maxTokens = parameters.maxTokens;
  r.maxCompletionTokens = parameters.maxCompletionTokens;
  r.temperature = parameters.temperature;
  r.topP = parameters.topP;
  // Usage belongs to the attempt that answered.
  r.usagePresent = r.error ? false : ctx.usage.present;
  r.inputTokens = ctx.usage.promptTokens;
  r.outputTokens = ctx.usage.completionTokens;
  r.cachedInputTokens = ctx.usage.cachedPromptTokens;
  r.upstreamModel = r.keep(d.upstreamModel);
  r.provider = r.keep(genAiProviderName(d.provider));
  r.serverAddress = r.keep(d.apiBase.host);
  r.deployment = r.keep(d.id);
  r.errorType = r.keep(f.errorType);
}

}  // namespace switchyard
