// What the context-window pre-check (router_settings.enable_pre_call_checks) adds to a request:
// the request is read as the proxy reads it (parseOpenAiRequest: a scan, the tree left unbuilt
// on the fast path) and routed over a group of 10 deployments, without and with the check. The
// check builds the body's tree and counts its input with o200k_base once; the difference of the
// two is its cost. Sizes are the user message's bytes of English prose.
//
//   build/bench/context_check_bench --benchmark_min_time=0.5
#include <benchmark/benchmark.h>

#include "api/openai/parse_request.hpp"
#include "routing/attempt_planner.hpp"
#include "routing/context_check.hpp"
#include "routing/router.hpp"
#include "tokenizer/encoding.hpp"

namespace switchyard {
namespace {

constexpr int kGroupSize = 10;

std::shared_ptr<Snapshot> makeSnapshot() {
  auto s = std::make_shared<Snapshot>();
  for (int i = 0; i < kGroupSize; ++i) {
    auto d = std::make_shared<Deployment>();
    d->id = "ctxbench#" + std::to_string(i);
    d->modelName = "gpt-4o";
    d->upstreamModel = "gpt-4o";
    d->maxInputTokens = 128000;
    d->tokenizer = &tokenizer::o200kBase();
    s->groups["gpt-4o"].push_back(s->deployments.size());
    s->deployments.push_back(d);
  }
  s->router.preCallChecks = true;
  return s;
}

std::string body(size_t bytes) {
  static constexpr std::string_view kProse =
      "The gateway counts the input of a request before it is sent, so that a prompt too long "
      "for a model goes to a larger one instead of failing after a wasted round trip. ";
  std::string text;
  while (text.size() < bytes) text += kProse;
  text.resize(bytes);
  return R"({"model":"gpt-4o","messages":[{"role":"system","content":"You are terse."},)"
         R"({"role":"user","content":")" +
         text + R"("}]})";
}

void route(benchmark::State& state, bool check) {
  auto s = makeSnapshot();
  FastRandom rng(1);
  deploymentStates(s);
  (void)tokenizer::o200kBase().count("warm");  // indexed on first use, once per process
  const std::string text = body(static_cast<size_t>(state.range(0)));
  for (auto _ : state) {
    auto request = parseOpenAiRequest(Endpoint::kChatCompletions, text);
    const auto now = RouterClock::now();
    AttemptPlanner planner(s, "gpt-4o", nullptr, false, rng, now);
    std::optional<ContextCheck> context;
    if (check) {
      context.emplace(*request, nullptr);
      planner.checkContext(&*context);
    }
    auto step = planner.next(now);
    benchmark::DoNotOptimize(step);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * state.range(0));
}

void BM_Route_NoCheck(benchmark::State& st) { route(st, false); }
void BM_Route_PreCallCheck(benchmark::State& st) { route(st, true); }

BENCHMARK(BM_Route_NoCheck)->Arg(1 << 10)->Arg(10 << 10)->Arg(100 << 10);
BENCHMARK(BM_Route_PreCallCheck)->Arg(1 << 10)->Arg(10 << 10)->Arg(100 << 10);

}  // namespace
}  // namespace switchyard

BENCHMARK_MAIN();
