#pragma once
// What a POST /v1/messages/count_tokens request tells telemetry: its own metric family (see
// count_tokens_metrics.hpp) and an access-log line with "endpoint":"count_tokens", both when it
// ends. It is not traced: it generates nothing.

#include <chrono>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace switchyard {

class LogSink;
class WorkerMetrics;
struct Deployment;
struct Snapshot;

// The access-log line of one count_tokens request.
struct CountTokensLogEntry {
  std::string_view requestId;
  int status = 0;  // 0: the client went away first
  // "upstream"; counted by the gateway: "exact", "approximate", "estimate"; empty: not counted
  std::string_view countedBy;
  std::string_view deployment;
  std::string_view provider;
  std::string_view errorClass;
  std::chrono::microseconds total{0};
};

class CountTokensObservation {
 public:
  // `snapshot` is the request's: whether metrics are on, where the access log goes.
  CountTokensObservation(WorkerMetrics& metrics, const Snapshot& snapshot,
                         std::string_view requestId);
  ~CountTokensObservation();
  CountTokensObservation(const CountTokensObservation&) = delete;
  CountTokensObservation& operator=(const CountTokensObservation&) = delete;

  // The deployment's provider was asked to count.
  void countedUpstream(const Deployment& deployment);
  // Counted by the gateway; `how` is a TokenTally::kind() (a literal).
  void countedHere(std::string_view how) { countedBy_ = how; }
  void failed(const Error& e) { errorClass_ = errorClassName(e.cls); }
  // The answer was sent with this status.
  void answered(int status) { status_ = status; }

 private:
  WorkerMetrics& metrics_;
  const bool metricsOn_;
  LogSink* const accessLog_;
  const std::chrono::steady_clock::time_point start_;
  std::string requestId_;
  // Copies: the deployment may be a wildcard's, gone with the handler's frame.
  std::string deployment_;
  std::string provider_;
  std::string_view countedBy_;
  std::string_view errorClass_;
  int status_ = 0;
};

}  // namespace switchyard
