#pragma once
// What the request path tells telemetry, in two brackets: one around a whole request to a model
// endpoint and one around each upstream attempt. Each costs a few loads and stores when the
// features are off.

#include <chrono>

#include "client/propagated_headers.hpp"
#include "core/random.hpp"
#include "stages/request_context.hpp"

namespace switchyard {

class LiveLog;
class WorkerMetrics;

// Counts the request in flight; when it ends, records its metrics, writes its access-log line
// and its server span, and adds its line to the live request log while someone watches it.
class RequestObservation {
 public:
  RequestObservation(WorkerMetrics& metrics, RequestContext& ctx, FastRandom& rng,
                     LiveLog* live = nullptr);
  ~RequestObservation();
  RequestObservation(const RequestObservation&) = delete;
  RequestObservation& operator=(const RequestObservation&) = delete;

 private:
  WorkerMetrics& metrics_;
  RequestContext& ctx_;
  LiveLog* live_;
  bool metricsOn_;
};

// One upstream attempt: its share of the upstream time, the trace context sent upstream, and
// its client span.
class AttemptObservation {
 public:
  AttemptObservation(RequestContext& ctx, const Deployment& deployment, FastRandom& rng);
  ~AttemptObservation();
  AttemptObservation(const AttemptObservation&) = delete;
  AttemptObservation& operator=(const AttemptObservation&) = delete;

  // Right before the request goes upstream, at `sendAt`: starts the clock, and gives the
  // request id and trace context to send (they view this object and the request's context).
  PropagatedHeaders beforeSend(std::chrono::steady_clock::time_point sendAt);
  // The upstream's answer was read to its end (or failed): stops the clock.
  void upstreamEnded();
  void setStatus(int httpStatus) { httpStatus_ = httpStatus; }
  void failed(const Error& e);
  // Streams: the first event went to the client.
  void firstToken();

 private:
  RequestContext& ctx_;
  const Deployment& deployment_;
  std::chrono::steady_clock::time_point start_{};
  std::chrono::steady_clock::time_point end_{};
  bool ended_ = false;
  int httpStatus_ = 0;
  std::string_view errorType_;
  SpanId spanId_{};
  char traceparent_[kTraceparentSize];
};

}  // namespace switchyard
