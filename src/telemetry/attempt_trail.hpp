#pragma once
// Each upstream attempt of a request, in order: which deployment, why it was tried (the first
// try, a retry, a fallback to another group, a hedge), how it ended and how long it took. The
// attempt executor fills it from the first failed attempt on (a request whose first attempt
// answered, the usual one, records nothing: the access-log line's own deployment, status and
// upstream time describe it); the access-log line (and so the live log's request detail) lists
// the trail when there was more than one attempt. Fixed inline storage, no allocation; attempts
// beyond the capacity are only counted.

#include <array>
#include <cstdint>
#include <memory>
#include <new>
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

  // The records live in raw storage, made as attempts are added: a request with one attempt
  // constructs and destroys one record, not kCapacity of them.
  AttemptTrail() = default;
  ~AttemptTrail() {
    for (size_t i = 0; i < size_; ++i) std::destroy_at(slot(i));
  }
  AttemptTrail(const AttemptTrail&) = delete;
  AttemptTrail& operator=(const AttemptTrail&) = delete;

  // The record of a new attempt; null when the trail is full (the attempt is then only counted
  // in more()).
  AttemptRecord* add() {
    if (size_ < kCapacity) return std::construct_at(slot(size_++));
    ++more_;
    return nullptr;
  }
  std::span<const AttemptRecord> records() const {
    return {std::launder(reinterpret_cast<const AttemptRecord*>(storage_)), size_};
  }
  size_t size() const { return size_; }
  int more() const { return more_; }

 private:
  AttemptRecord* slot(size_t i) {
    return std::launder(reinterpret_cast<AttemptRecord*>(storage_ + i * sizeof(AttemptRecord)));
  }

  alignas(AttemptRecord) unsigned char storage_[kCapacity * sizeof(AttemptRecord)];
  uint8_t size_ = 0;
  int more_ = 0;
};

}  // namespace switchyard
