#pragma once
// A pipeline stage: a step before the upstream call that may answer early, and a step after it.
// Post steps run in reverse order, and only for stages whose pre step ran.

#include <boost/asio/awaitable.hpp>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/async.hpp"
#include "stages/request_context.hpp"

namespace switchyard {

struct Outcome {
  enum class Kind { kContinue, kRespond, kFail };
  Kind kind = Kind::kContinue;
  int status = 200;
  std::string body;  // kRespond: the JSON body to send
  Error error;       // kFail

  static Outcome next() { return {}; }
  static Outcome respond(int status, std::string body) {
    return {Kind::kRespond, status, std::move(body), {}};
  }
  static Outcome fail(Error e) { return {Kind::kFail, e.status, {}, std::move(e)}; }
};

// The pre step is `pre` for a stage that decides from memory (auth, limits, budgets), and
// `preAsync` for one that has to wait on I/O (a remote cache, a guardrail service), which says
// so through waits(). While no stage waits, a request goes through the pipeline without a
// coroutine frame per stage: on a proxy's budget of a few microseconds, those frames count.
class Stage {
 public:
  virtual ~Stage() = default;
  virtual std::string_view name() const = 0;
  virtual Outcome pre(RequestContext&) { return Outcome::next(); }
  virtual bool waits() const { return false; }
  virtual Task<Outcome> preAsync(RequestContext& ctx) { co_return pre(ctx); }
  virtual void post(RequestContext&) {}
};

class Pipeline {
 public:
  void add(std::unique_ptr<Stage> stage) {
    waits_ = waits_ || stage->waits();
    stages_.push_back(std::move(stage));
  }

  // Runs pre steps until one does not continue; returns that outcome (or Continue) and how many
  // stages ran, which the caller passes back to runPost. runPreNow is for pipelines where no
  // stage waits().
  bool waits() const { return waits_; }
  Task<Outcome> runPre(RequestContext& ctx, size_t& ran) const;
  Outcome runPreNow(RequestContext& ctx, size_t& ran) const;
  void runPost(RequestContext& ctx, size_t ran) const;

 private:
  std::vector<std::unique_ptr<Stage>> stages_;
  bool waits_ = false;
};

// The stages of this build, in request order.
Pipeline makeDefaultPipeline();

}  // namespace switchyard
