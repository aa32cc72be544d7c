#include "stages/accounting/usage_recorder.hpp"

namespace switchyard {

boost::asio::awaitable<Outcome> UsageRecorder::pre(RequestContext&) { co_return Outcome::next(); }

void UsageRecorder::post(RequestContext&) {}

}  // namespace switchyard
