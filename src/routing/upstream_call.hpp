#pragma once
// One request to one deployment, answered whole: the adapter's credential step, the exchange, and
// the adapter's classification of a non-2xx answer. Health checks and count_tokens call upstreams
// through this, so no caller can skip a step; request attempts (server/attempt), which also
// stream, hedge and translate, follow the same sequence.

#include <string>

#include "client/propagated_headers.hpp"
#include "config/snapshot.hpp"
#include "core/async.hpp"
#include "core/error.hpp"
#include "providers/adapter.hpp"

namespace switchyard {

class UpstreamPool;

// The 2xx answer's body (at most `maxBytes`), or why there is none.
Task<Result<std::string>> callUpstream(UpstreamPool& pool, const Deployment& d,
                                       UpstreamRequest request, PropagatedHeaders propagated,
                                       size_t maxBytes);

}  // namespace switchyard
