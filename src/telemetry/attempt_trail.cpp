#include "telemetry/attempt_trail.hpp"

namespace switchyard {

std::string_view attemptReasonName(AttemptReason r) {
  switch (r) {
    case AttemptReason::kFirst:
      return "first";
    case AttemptReason::kRetry:
      return "retry";
    case AttemptReason::kFallback:
      return "fallback";
    case AttemptReason::kContextWindowFallback:
      return "context_window_fallback";
    case AttemptReason::kContentPolicyFallback:
      return "content_policy_fallback";
    case AttemptReason::kHedge:
      return "hedge";
  }
  return "first";
}

std::string_view attemptOutcomeName(AttemptOutcome o) {
  switch (o) {
    case AttemptOutcome::kAnswered:
      return "answered";
    case AttemptOutcome::kFailed:
      return "failed";
    case AttemptOutcome::kBrokeMidStream:
      return "broke_mid_stream";
    case AttemptOutcome::kCancelled:
      return "cancelled";
  }
  return "failed";
}

}  // namespace switchyard
