#include <boost/asio/use_awaitable.hpp>

#include "core/async.hpp"
#include "stages/accounting/usage_recorder.hpp"
#include "stages/auth/key_auth.hpp"
#include "stages/budget/budget_limits.hpp"
#include "stages/cache/cache_stage.hpp"
#include "stages/guardrails/guardrail_stage.hpp"
#include "stages/stage.hpp"

namespace switchyard {

Task<Outcome> Pipeline::runPre(RequestContext& ctx, size_t& ran) const {
  ran = 0;
  for (const auto& stage : stages_) {
    ++ran;
    if (ctx.snapshot && !stage->actsOn(*ctx.snapshot)) continue;
    Outcome outcome;
    if (stage->waitsFor(*ctx.snapshot)) {
      outcome = co_await stage->preAsync(ctx);
    } else {
      outcome = stage->pre(ctx);
    }
    if (outcome.kind != Outcome::Kind::kContinue) co_return outcome;
  }
  co_return Outcome::next();
}

bool Pipeline::waits(const Snapshot& s) const {
  if (waits_) return true;
  for (const auto& stage : stages_) {
    if (stage->waitsFor(s)) return true;
  }
  return false;
}

Outcome Pipeline::runPreNow(RequestContext& ctx, size_t& ran) const {
  ran = 0;
  const Snapshot* s = ctx.snapshot.get();
  for (const auto& stage : stages_) {
    ++ran;
    if (s && !stage->actsOn(*s)) continue;
    Outcome outcome = stage->pre(ctx);
    if (outcome.kind != Outcome::Kind::kContinue) return outcome;
  }
  return Outcome::next();
}

void Pipeline::runPost(RequestContext& ctx, size_t ran) const {
  for (size_t i = ran; i > 0; --i) stages_[i - 1]->post(ctx);
}

bool Pipeline::watchesAnswer(const RequestContext& ctx) const {
  if (!watchesAnswer_) return false;
  for (size_t i = 0; i < ctx.stagesRan && i < stages_.size(); ++i) {
    if (stages_[i]->watchesAnswerOf(ctx)) return true;
  }
  return false;
}

std::vector<std::unique_ptr<AnswerFilter>> Pipeline::answerFilters(RequestContext& ctx,
                                                                   size_t ran) const {
  std::vector<std::unique_ptr<AnswerFilter>> filters;
  if (!watchesAnswer_) return filters;
  for (size_t i = ran; i > 0; --i) {
    if (auto f = stages_[i - 1]->filterAnswer(ctx)) filters.push_back(std::move(f));
  }
  return filters;
}

EventSink& chainFilters(std::vector<std::unique_ptr<AnswerFilter>>& filters, EventSink& last) {
  EventSink* next = &last;
  for (size_t i = filters.size(); i > 0; --i) {
    filters[i - 1]->setNext(*next);
    next = filters[i - 1].get();
  }
  return *next;
}

Pipeline makeDefaultPipeline() {
  Pipeline p;
  p.add(std::make_unique<KeyAuth>());
  p.add(std::make_unique<BudgetLimits>());
  p.add(std::make_unique<GuardrailStage>());
  p.add(std::make_unique<UsageRecorder>());
  // After the recorder, so that a hit (which ends the pre steps) is still recorded and the
  // recorder's post step sees what the cache decided.
  p.add(std::make_unique<CacheStage>());
  return p;
}

}  // namespace switchyard
