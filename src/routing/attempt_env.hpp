#pragma once
// What the executor's attempts use of the worker that runs them: nothing here is shared with
// other threads. A header of its own so the worker can hand one out without pulling in the
// attempt.

#include "core/async.hpp"

namespace switchyard {

class UpstreamPool;
class Pipeline;
class FastRandom;

struct AttemptEnv {
  Executor executor;
  UpstreamPool& pool;
  const Pipeline& pipeline;
  FastRandom& rng;
};

}  // namespace switchyard
