#include "stages/accounting/usage_recorder.hpp"

#include "telemetry/access_log.hpp"

namespace switchyard {

boost::asio::awaitable<Outcome> UsageRecorder::pre(RequestContext&) { co_return Outcome::next(); }

void UsageRecorder::post(RequestContext& ctx) {
  if (accessLogEnabled()) writeAccessLog(ctx);
}

}  // namespace switchyard
