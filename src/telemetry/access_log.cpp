#include "telemetry/access_log.hpp"

#include <cstring>
#include <ctime>

#include "stages/cache/cache_lookup.hpp"
#include "stages/guardrails/guardrail_run.hpp"
#include "telemetry/attempt_trail.hpp"
#include "telemetry/count_tokens_observation.hpp"
#include "telemetry/json_line.hpp"
#include "telemetry/log_sink.hpp"

namespace switchyard {

namespace {

int64_t microsBetween(std::chrono::steady_clock::time_point from,
                      std::chrono::steady_clock::time_point to) {
  return std::chrono::duration_cast<std::chrono::microseconds>(to - from).count();
}

// "2026-11-25T10:15:02.123Z" into `out` (24 bytes). The part up to the seconds is formatted once
// per second.
std::string_view timestamp(char (&out)[24]) {
  thread_local std::time_t lastSecond = -1;
  thread_local char prefix[20];
  const auto now = std::chrono::system_clock::now();
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch());
  const std::time_t sec = std::time_t(ms.count() / 1000);
  if (sec != lastSecond) {
    std::tm tm{};
    gmtime_r(&sec, &tm);
    std::strftime(prefix, sizeof prefix, "%Y-%m-%dT%H:%M:%S", &tm);
    lastSecond = sec;
  }
  const int milli = int(ms.count() % 1000);
  std::memcpy(out, prefix, 19);
  out[19] = '.';
  out[20] = char('0' + milli / 100);
  out[21] = char('0' + milli / 10 % 10);
  out[22] = char('0' + milli % 10);
  out[23] = 'Z';
  return {out, sizeof out};
}

// The attempt trail as a JSON array of objects, into `out` (cleared first).
void formatAttempts(const AttemptTrail& trail, TextBuffer& out) {
  out.clear();
  char* p = out.reserve(1);
  *p++ = '[';
  out.commit(p);
  bool first = true;
  for (const AttemptRecord& a : trail.records()) {
    std::string_view id = a.deployment ? std::string_view(a.deployment->id) : "";
    std::string_view provider = a.deployment ? std::string_view(a.deployment->provider) : "";
    p = out.reserve(160 + kMaxJsonEscapedGrowth * (id.size() + provider.size()));
    if (!first) *p++ = ',';
    first = false;
    p = put(p, "{\"deployment\":\"");
    p = putJsonEscaped(p, id);
    p = put(p, "\",\"provider\":\"");
    p = putJsonEscaped(p, provider);
    p = put(p, "\",\"reason\":\"");
    p = put(p, attemptReasonName(a.reason));
    p = put(p, "\",\"outcome\":\"");
    p = put(p, attemptOutcomeName(a.outcome));
    p = put(p, "\",\"status\":");
    p = putInt(p, a.status);
    if (a.outcome == AttemptOutcome::kFailed || a.outcome == AttemptOutcome::kBrokeMidStream) {
      p = put(p, ",\"error\":\"");
      p = put(p, errorClassName(a.error));
      *p++ = '"';
    }
    p = put(p, ",\"latency_us\":");
    p = putInt(p, a.latencyUs);
    *p++ = '}';
    out.commit(p);
  }
  p = out.reserve(1);
  *p++ = ']';
  out.commit(p);
}

}  // namespace

void formatAccessLog(const RequestContext& ctx, std::string_view modelGroup,
                     std::chrono::steady_clock::time_point end, TextBuffer& out) {
  JsonLine line(out);
  char ts[24];
  line.plain<"ts">(timestamp(ts));
  line.str<"request_id">(ctx.requestId);
  if (ctx.trace.sampled) line.hex<"trace_id">(ctx.trace.traceId.data(), ctx.trace.traceId.size());
  line.plain<"endpoint">(endpointPath(ctx.request.endpoint));
  line.str<"key_alias">(ctx.keyAlias);
  if (!ctx.teamId.empty()) line.str<"team_id">(ctx.teamId);
  line.str<"model">(ctx.request.model);
  line.str<"model_group">(modelGroup);
  if (ctx.deployment) {
    line.str<"deployment">(ctx.deployment->id);
    line.str<"provider">(ctx.deployment->provider);
    line.str<"upstream_model">(ctx.deployment->upstreamModel);
  } else {
    line.null<"deployment">();
  }
  line.num<"status">(int64_t(ctx.status));
  line.boolean<"stream">(ctx.request.stream);
  line.num<"attempts">(int64_t(ctx.attempts));
  line.num<"retries">(int64_t(ctx.retries));
  line.num<"fallbacks">(int64_t(ctx.fallbacks));
  // Each attempt, when there was more than one: a single attempt is the line's own deployment,
  // status and upstream time.
  const AttemptTrail& trail = ctx.attemptTrail;
  if (trail.size() > 1 || trail.more() > 0) {
    thread_local TextBuffer attempts;
    formatAttempts(trail, attempts);
    line.raw<"attempt_list">(attempts.view());
    if (trail.more() > 0) line.num<"attempt_list_more">(int64_t(trail.more()));
  }
  if (!ctx.errorClass.empty()) line.str<"error">(ctx.errorClass);
  if (ctx.clientGone) line.boolean<"client_gone">(true);
  if (ctx.guardrails) line.str<"guardrails">(ctx.guardrails->summary());
  if (ctx.usageUnknown) line.boolean<"usage_unknown">(true);
  if (ctx.middleOutTokensRemoved > 0) {
    line.num<"middle_out_tokens_removed">(ctx.middleOutTokensRemoved);
  }
  if (ctx.usage.present) {
    line.num<"prompt_tokens">(ctx.usage.promptTokens);
    line.num<"completion_tokens">(ctx.usage.completionTokens);
    line.num<"cached_tokens">(ctx.usage.cachedPromptTokens);
    line.num<"reasoning_tokens">(ctx.usage.reasoningTokens);
    line.num<"cache_write_tokens">(ctx.usage.cacheWriteTokens);
  }
  if (ctx.costKnown) {
    line.num<"cost_usd">(ctx.costUsd);
  } else {
    line.null<"cost_usd">();
  }
  const int64_t total = microsBetween(ctx.start, end);
  line.num<"total_us">(total);
  if (ctx.upstreamStart.time_since_epoch().count() != 0) {
    const int64_t upstream =
        std::chrono::duration_cast<std::chrono::microseconds>(ctx.upstreamTime).count();
    line.num<"upstream_us">(upstream);
    line.num<"overhead_us">(std::max<int64_t>(total - upstream, 0));
    line.num<"ttfb_us">(microsBetween(ctx.upstreamStart, ctx.firstByte));
  }
  if (ctx.firstToken.time_since_epoch().count() != 0) {
    line.num<"ttft_us">(microsBetween(ctx.start, ctx.firstToken));
  }
  // One-word outcomes for the live log's columns: null when the cache or no guardrail was used.
  if (ctx.cache) {
    line.plain<"cache">(ctx.cache->hit ? "hit" : "miss");
  } else {
    line.null<"cache">();
  }
  if (ctx.guardrails) {
    line.plain<"guardrail">(ctx.guardrails->outcome());
  } else {
    line.null<"guardrail">();
  }
  line.end();
}

namespace {

template <class Format>
void writeLine(LogSink& sink, Format&& format) {
  // A scratch buffer per thread, so that a line costs no allocation; the sink copies it.
  thread_local TextBuffer line;
  line.clear();
  format(line);
  line.commit(put(line.reserve(1), "\n"));
  sink.submit(line.view());
}

}  // namespace

void writeAccessLog(LogSink& sink, const RequestContext& ctx, std::string_view modelGroup,
                    std::chrono::steady_clock::time_point end) {
  writeLine(sink, [&](TextBuffer& line) { formatAccessLog(ctx, modelGroup, end, line); });
}

void formatCountTokensLog(const CountTokensLogEntry& e, TextBuffer& out) {
  JsonLine line(out);
  char ts[24];
  line.plain<"ts">(timestamp(ts));
  line.str<"request_id">(e.requestId);
  line.plain<"endpoint">("count_tokens");
  line.num<"status">(int64_t(e.status));
  if (e.countedBy.empty()) {
    line.null<"counted_by">();
  } else {
    line.str<"counted_by">(e.countedBy);
  }
  if (e.deployment.empty()) {
    line.null<"deployment">();
  } else {
    line.str<"deployment">(e.deployment);
    line.str<"provider">(e.provider);
  }
  if (!e.errorClass.empty()) line.str<"error">(e.errorClass);
  if (e.status == 0) line.boolean<"client_gone">(true);
  line.num<"total_us">(int64_t(e.total.count()));
  line.end();
}

void writeCountTokensLog(LogSink& sink, const CountTokensLogEntry& entry) {
  writeLine(sink, [&](TextBuffer& line) { formatCountTokensLog(entry, line); });
}

}  // namespace switchyard
