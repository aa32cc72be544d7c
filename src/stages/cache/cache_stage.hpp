#pragma once
// The response cache as a pipeline stage: the pre step computes the request's key and answers a
// hit with the kept events (replayed in the client's format, streamed or whole as it asks now);
// on a miss its answer filter records the live answer's events, and the post step keeps them if
// the answer was complete, successful and fully delivered. Requests the cache does not serve
// are not watched, so their answers keep the byte fast path. With a Redis level
// (cache_params.type: redis) a miss in memory looks in Redis before going upstream, waiting
// asynchronously (preAsync), and a kept answer goes to both levels.

#include "stages/stage.hpp"

namespace switchyard {

class CacheStage : public Stage {
 public:
  std::string_view name() const override { return "cache"; }
  Outcome pre(RequestContext& ctx) override;
  bool actsOn(const Snapshot& s) const override;
  bool waitsFor(const Snapshot& s) const override;
  Task<Outcome> preAsync(RequestContext& ctx) override;
  void post(RequestContext& ctx) override;
  bool watchesAnswer() const override { return true; }
  bool watchesAnswerOf(const RequestContext& ctx) const override;
  std::unique_ptr<AnswerFilter> filterAnswer(RequestContext& ctx) override;
};

}  // namespace switchyard
