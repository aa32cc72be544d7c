#pragma once
// Records what each request used once it is over: spend and budgets attach here. (The access-log
// line is written by telemetry's RequestObservation, for every request including refused ones.)

#include "stages/stage.hpp"

namespace switchyard {

class UsageRecorder : public Stage {
 public:
  std::string_view name() const override { return "accounting"; }
  // It only records, after the call.
  bool actsOn(const Snapshot&) const override { return false; }
  void post(RequestContext& ctx) override;
};

}  // namespace switchyard
