#pragma once
// Each upstream attempt of a request, in order: which deployment, why it was tried (the first
// try, a retry, a fallback to another group, a hedge), how it ended and how long it took. The
// attempt executor fills it; the access-log line (and so the live log's request detail) shows
// it when there was more than one attempt. A fixed inline array: recording the one attempt of
// a usual request is a few stores, no allocation; attempts beyond the capacity are only counted.

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>

#include "core/error.hpp"

namespace switchyard {

struct Deployment;

// Why an attempt was made (the planner's step says).
enum class AttemptReason : uint8_t {
  kFirst,                  // the first deployment of the requested group
  kRetry,                  // again in the same group: another deployment, or the same after backoff
  kFallback,               // another model group (fallbacks, default_fallbacks, the request's
                           // `models`)
  kContextWindowFallback,  // another group after a context window error
  kContentPolicyFallback,  // another group after a content policy refusal
  kHedge,                  // raced against a slow attempt still in flight
};
std::string_view attemptReasonName(AttemptReason r);

enum class AttemptOutcome : uint8_t {
  kAnswered,        // the request's answer (or the reader left while it was sent)
  kFailed,          // the deployment failed before answering: `error`
  kBrokeMidStream,  // began to answer, then failed: `error`
  kCancelled,       // lost a hedged race and was aborted
};
std::string_view attemptOutcomeName(AttemptOutcome o);

struct AttemptRecord {
  // Held so that a request-made deployment (a wildcard route's) outlives the planner: moved from
  // the planner's step, never copied.
  std::shared_ptr<const Deployment> deployment;
  uint32_t latencyUs = 0;  // from the attempt's start to its end (backoff waits not included)
  int16_t status = 0;      // the upstream's HTTP status; 0 when none came (connect, timeout)
  AttemptReason reason = AttemptReason::kFirst;
  AttemptOutcome outcome = AttemptOutcome::kAnswered;
  ErrorClass error = ErrorClass::kInternal;  // kFailed, kBrokeMidStream
};

class AttemptTrail {
 public:
  static constexpr size_t kCapacity = 6;

  // The record of a new attempt; null when the trail is full (the attempt is then only counted
  // in more()).
  AttemptRecord* add() {
    if (size_ < kCapacity) return &records_[size_++];
    ++more_;
    return nullptr;
  }
  std::span<const AttemptRecord> records() const { return {records_.data(), size_}; }
  size_t size() const { return size_; }
  int more() const { return more_; }

 private:
  std::array<AttemptRecord, kCapacity> records_;
  uint8_t size_ = 0;
  int more_ = 0;
};

}  // namespace switchyard
