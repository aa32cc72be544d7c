#include "telemetry/request_observation.hpp"

#include "client/propagated_headers.hpp"
#include "config/snapshot.hpp"
#include "providers/adapter.hpp"
#include "telemetry/access_log.hpp"
#include "telemetry/live_log.hpp"
#include "telemetry/request_metrics.hpp"
#include "telemetry/request_spans.hpp"
#include "telemetry/span_exporter.hpp"

namespace switchyard {

namespace {
using Clock = std::chrono::steady_clock;
}

RequestObservation::RequestObservation(WorkerMetrics& metrics, RequestContext& ctx, FastRandom& rng,
                                       LiveLog* live)
    : metrics_(metrics),
      ctx_(ctx),
      live_(live),
      metricsOn_(ctx.snapshot->server.telemetry.metrics) {
  if (metricsOn_) metrics_.requestStarted();
  if (const SpanExporter* exporter = ctx_.snapshot->spanExporter) {
    ctx_.trace = startTrace(ctx_.traceparent, exporter->sampleRatio(), rng);
  }
}

RequestObservation::~RequestObservation() {
  const auto end = Clock::now();
  LogSink* log = ctx_.snapshot->accessLogSink;
  const bool watched = live_ && live_->watched();
  if (metricsOn_ || log || watched) {
    const RequestLabels labels = boundedLabels(ctx_);
    if (metricsOn_) {
      metrics_.requestEnded();
      metrics_.record(labels, measuresOf(ctx_, end));
    }
    if (log) writeAccessLog(*log, ctx_, labels.modelGroup, end);
    if (watched) live_->publish(ctx_, labels.modelGroup, end);
  }
  if (ctx_.trace.sampled) {
    if (SpanExporter* exporter = ctx_.snapshot->spanExporter) {
      if (SpanRecord* span = exporter->claim()) {
        recordServerSpan(ctx_, end, *span);
        exporter->submit();
      }
    }
  }
}

AttemptObservation::AttemptObservation(RequestContext& ctx, const Deployment& deployment,
                                       FastRandom& rng)
    : ctx_(ctx), deployment_(deployment) {
  if (ctx_.trace.sampled) spanId_ = randomSpanId(rng);
}

AttemptObservation::~AttemptObservation() {
  upstreamEnded();
  if (!ctx_.trace.sampled || start_.time_since_epoch().count() == 0) return;
  SpanExporter* exporter = ctx_.snapshot->spanExporter;
  if (exporter == nullptr) return;
  if (SpanRecord* span = exporter->claim()) {
    recordAttemptSpan(ctx_, deployment_, {spanId_, start_, end_, httpStatus_, errorType_}, *span);
    exporter->submit();
  }
}

PropagatedHeaders AttemptObservation::beforeSend(Clock::time_point sendAt) {
  start_ = sendAt;
  PropagatedHeaders headers{ctx_.requestId, {}, {}};
  if (ctx_.trace.sampled) {
    putTraceparent(traceparent_, ctx_.trace.traceId, spanId_, true);
    headers.traceparent = std::string_view(traceparent_, kTraceparentSize);
  } else if (!ctx_.traceparent.empty()) {
    // Not tracing this request: the client's context goes on unchanged, as through a proxy that
    // does not participate.
    headers.traceparent = ctx_.traceparent;
  } else {
    return headers;
  }
  headers.tracestate = ctx_.tracestate;
  return headers;
}

void AttemptObservation::upstreamEnded() {
  if (ended_ || start_.time_since_epoch().count() == 0) return;
  ended_ = true;
  end_ = Clock::now();
  ctx_.upstreamTime += end_ - start_;
}

void AttemptObservation::failed(const Error& e) {
  upstreamEnded();
  errorType_ = errorClassName(e.cls);
}

void AttemptObservation::firstToken() {
  if (ctx_.firstToken.time_since_epoch().count() == 0) ctx_.firstToken = Clock::now();
}

}  // namespace switchyard
