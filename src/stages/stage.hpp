#pragma once
// A pipeline stage: a step before the upstream call that may answer early, a filter that watches
// (and may rewrite) the answer's events on their way to the client, and a step after the call.
// Post steps and answer filters run in reverse order, and only for stages whose pre step ran.

#include <boost/asio/awaitable.hpp>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "api/events/recorded_answer.hpp"
#include "api/events/stream_event.hpp"
#include "core/async.hpp"
#include "stages/request_context.hpp"

namespace switchyard {

// What a pre step decided: go on, answer now with a body, refuse, or answer now with an answer
// kept as events (a cache hit), which is replayed in the format the client speaks, streamed or
// whole as it asked, through the answer filters of the stages that ran.
struct Outcome {
  enum class Kind { kContinue, kRespond, kFail, kReplay };
  Kind kind = Kind::kContinue;
  int status = 200;
  std::string body;                              // kRespond: the JSON body to send
  Error error;                                   // kFail
  std::shared_ptr<const RecordedAnswer> answer;  // kReplay

  static Outcome next() { return {}; }
  static Outcome respond(int status, std::string body) {
    return {Kind::kRespond, status, std::move(body), {}, {}};
  }
  static Outcome fail(Error e) { return {Kind::kFail, e.status, {}, std::move(e), {}}; }
  static Outcome replay(std::shared_ptr<const RecordedAnswer> answer) {
    return {Kind::kReplay, 200, {}, {}, std::move(answer)};
  }
};

// The pre step is `pre` for a stage that decides from memory (auth, limits, budgets), and
// `preAsync` for one that has to wait on I/O (a remote cache, a guardrail service), which says
// so through waits(). While no stage waits, a request goes through the pipeline without a
// coroutine frame per stage: on a proxy's budget of a few microseconds, those frames count.
// Watches, and may rewrite, hold back or add to, one answer's events; made per request by a
// stage that asks to see the answer. It passes what the client should get on to `next()`.
class AnswerFilter : public EventSink {
 public:
  void setNext(EventSink& next) { next_ = &next; }

 protected:
  EventSink& next() { return *next_; }

 private:
  EventSink* next_ = nullptr;
};

class Stage {
 public:
  virtual ~Stage() = default;
  virtual std::string_view name() const = 0;
  virtual Outcome pre(RequestContext&) { return Outcome::next(); }
  // Whether its pre step can do anything under this config. A stage the config leaves off (no
  // keys, no guardrails, no cache) is passed by without building an Outcome, so that it costs
  // nothing per request; its post step still runs, and finds nothing to do.
  virtual bool actsOn(const Snapshot&) const { return true; }
  virtual bool waits() const { return false; }
  // Whether it waits under this config (a stage that waits only when the config says so).
  virtual bool waitsFor(const Snapshot&) const { return waits(); }
  virtual Task<Outcome> preAsync(RequestContext& ctx) { co_return pre(ctx); }
  virtual void post(RequestContext&) {}
  // A stage that watches the answer says so here, and makes a filter per request (nullptr when
  // this request needs none). While no stage watches, an answer in the client's own format is
  // forwarded as bytes, never decoded into events.
  virtual bool watchesAnswer() const { return false; }
  // Whether it watches this request's answer (after its pre step ran): a stage that watches only
  // some answers leaves the others on the fast path.
  virtual bool watchesAnswerOf(const RequestContext&) const { return watchesAnswer(); }
  virtual std::unique_ptr<AnswerFilter> filterAnswer(RequestContext&) { return nullptr; }
};

class Pipeline {
 public:
  void add(std::unique_ptr<Stage> stage) {
    waits_ = waits_ || stage->waits();
    watchesAnswer_ = watchesAnswer_ || stage->watchesAnswer();
    stages_.push_back(std::move(stage));
  }

  // Runs pre steps until one does not continue; returns that outcome (or Continue) and how many
  // stages ran, which the caller passes back to runPost. runPreNow is for pipelines where no
  // stage waits().
  bool waits() const { return waits_; }
  bool waits(const Snapshot& s) const;
  Task<Outcome> runPre(RequestContext& ctx, size_t& ran) const;
  Outcome runPreNow(RequestContext& ctx, size_t& ran) const;
  void runPost(RequestContext& ctx, size_t ran) const;
  // Whether any stage watches answers; the answer filters of the first `ran` stages for this
  // request, in the order events pass through them (the last stage's first).
  bool watchesAnswer() const { return watchesAnswer_; }
  // Whether a stage among the first ctx.stagesRan watches this request's answer.
  bool watchesAnswer(const RequestContext& ctx) const;
  std::vector<std::unique_ptr<AnswerFilter>> answerFilters(RequestContext& ctx, size_t ran) const;

 private:
  std::vector<std::unique_ptr<Stage>> stages_;
  bool waits_ = false;
  bool watchesAnswer_ = false;
};

// The filters in the order events reach them, ending in `last` (the client's encoder): returns
// where events should be sent first.
EventSink& chainFilters(std::vector<std::unique_ptr<AnswerFilter>>& filters, EventSink& last);

// The stages of this build, in request order.
Pipeline makeDefaultPipeline();

}  // namespace switchyard
