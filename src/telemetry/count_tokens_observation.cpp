#include "telemetry/count_tokens_observation.hpp"

#include "config/snapshot.hpp"
#include "telemetry/access_log.hpp"
#include "telemetry/request_metrics.hpp"

namespace switchyard {

CountTokensObservation::CountTokensObservation(WorkerMetrics& metrics, const Snapshot& snapshot,
                                               std::string_view requestId)
    : metrics_(metrics),
      metricsOn_(snapshot.server.telemetry.metrics),
      accessLog_(snapshot.accessLogSink),
      start_(std::chrono::steady_clock::now()),
      requestId_(requestId) {}

void CountTokensObservation::countedUpstream(const Deployment& deployment) {
  countedBy_ = "upstream";
  deployment_ = deployment.id;
  provider_ = deployment.provider;
}

CountTokensObservation::~CountTokensObservation() {
  const auto total = std::chrono::duration_cast<std::chrono::microseconds>(
      std::chrono::steady_clock::now() - start_);
  if (metricsOn_) metrics_.countTokens().record(status_, total);
  if (accessLog_) {
    writeCountTokensLog(
        *accessLog_, {requestId_, status_, countedBy_, deployment_, provider_, errorClass_, total});
  }
}

}  // namespace switchyard
