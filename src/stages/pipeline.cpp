#include <boost/asio/use_awaitable.hpp>

#include "core/async.hpp"
#include "stages/accounting/usage_recorder.hpp"
#include "stages/auth/key_auth.hpp"
#include "stages/budget/budget_limits.hpp"
#include "stages/stage.hpp"

namespace switchyard {

Task<Outcome> Pipeline::runPre(RequestContext& ctx, size_t& ran) const {
  ran = 0;
  for (const auto& stage : stages_) {
    ++ran;
    Outcome outcome;
    if (stage->waits()) {
      outcome = co_await stage->preAsync(ctx);
    } else {
      outcome = stage->pre(ctx);
    }
    if (outcome.kind != Outcome::Kind::kContinue) co_return outcome;
  }
  co_return Outcome::next();
}

Outcome Pipeline::runPreNow(RequestContext& ctx, size_t& ran) const {
  ran = 0;
  for (const auto& stage : stages_) {
    ++ran;
    Outcome outcome = stage->pre(ctx);
    if (outcome.kind != Outcome::Kind::kContinue) return outcome;
  }
  return Outcome::next();
}

void Pipeline::runPost(RequestContext& ctx, size_t ran) const {
  for (size_t i = ran; i > 0; --i) stages_[i - 1]->post(ctx);
}

Pipeline makeDefaultPipeline() {
  Pipeline p;
  p.add(std::make_unique<KeyAuth>());
  p.add(std::make_unique<BudgetLimits>());
  p.add(std::make_unique<UsageRecorder>());
  return p;
}

}  // namespace switchyard
