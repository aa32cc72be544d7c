// The routing decision is on every request's path. This measures it for a group of 10
// deployments per strategy, counts heap allocations per decision, and runs the previous
// implementation (a vector of shared_ptr, weighted shuffle through a vector of keys) as the
// baseline in the same run.
//
//   build/bench/router_bench --benchmark_min_time=0.2
#include <benchmark/benchmark.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdlib>
#include <new>

#include "routing/attempt_planner.hpp"
#include "routing/router.hpp"

namespace {

std::atomic<uint64_t> allocations{0};

}  // namespace

void* operator new(std::size_t n) {
  allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace switchyard {
namespace {

constexpr int kGroupSize = 10;

std::shared_ptr<Snapshot> makeSnapshot(RoutingStrategy strategy) {
  auto s = std::make_shared<Snapshot>();
  s->router.strategy = strategy;
  for (int i = 0; i < kGroupSize; ++i) {
    auto d = std::make_shared<Deployment>();
    d->id = "bench-" + std::to_string(static_cast<int>(strategy)) + "#" + std::to_string(i);
    d->modelName = "gpt-4o";
    d->weight = 1 + i % 3;
    d->rpm = 100000;
    d->inputCostPerToken = 1e-6 * (1 + i);
    s->groups["gpt-4o"].push_back(s->deployments.size());
    s->deployments.push_back(d);
    auto& st = deploymentState(*d);
    st.begin(RouterClock::now());
    st.succeeded(RouterClock::now(), std::chrono::microseconds(1000 * (i + 1)),
                 std::chrono::microseconds(100 * (i + 1)), false);
  }
  return s;
}

void decide(benchmark::State& state, RoutingStrategy strategy) {
  auto s = makeSnapshot(strategy);
  FastRandom rng(1);
  deploymentStates(s);  // bind once, as the first request on a worker does
  const uint64_t before = allocations.load();
  for (auto _ : state) {
    auto sel = selectDeployments(s, "gpt-4o", rng, RouterClock::now());
    benchmark::DoNotOptimize(sel);
  }
  state.counters["allocs/decision"] =
      static_cast<double>(allocations.load() - before) / static_cast<double>(state.iterations());
}

void BM_Select_SimpleShuffle(benchmark::State& st) { decide(st, RoutingStrategy::kSimpleShuffle); }
void BM_Select_LeastBusy(benchmark::State& st) { decide(st, RoutingStrategy::kLeastBusy); }
void BM_Select_UsageBased(benchmark::State& st) { decide(st, RoutingStrategy::kUsageBased); }
void BM_Select_LatencyBased(benchmark::State& st) { decide(st, RoutingStrategy::kLatencyBased); }
void BM_Select_CostBased(benchmark::State& st) { decide(st, RoutingStrategy::kCostBased); }

// The whole per-request routing work of a request that succeeds at once: plan, first step,
// begin and succeed on the deployment's state.
void BM_PlanAndRecord_SimpleShuffle(benchmark::State& state) {
  auto s = makeSnapshot(RoutingStrategy::kSimpleShuffle);
  FastRandom rng(1);
  deploymentStates(s);
  const uint64_t before = allocations.load();
  for (auto _ : state) {
    const auto now = RouterClock::now();
    AttemptPlanner planner(s, "gpt-4o", nullptr, false, rng, now);
    auto step = planner.next(now);
    step->state->begin(now);
    step->state->succeeded(now, std::chrono::microseconds(1000), {}, false);
    benchmark::DoNotOptimize(step);
  }
  state.counters["allocs/decision"] =
      static_cast<double>(allocations.load() - before) / static_cast<double>(state.iterations());
}

// Baseline: the router before this change, which copied the group into a vector of shared_ptr
// and shuffled it through a vector of keys.
void BM_Baseline_PreviousVectorShuffle(benchmark::State& state) {
  auto s = makeSnapshot(RoutingStrategy::kSimpleShuffle);
  FastRandom rng(1);
  const uint64_t before = allocations.load();
  for (auto _ : state) {
    const auto& group = s->groups.find(std::string_view("gpt-4o"))->second;
    std::vector<std::shared_ptr<const Deployment>> list;
    list.reserve(group.size());
    for (size_t i : group) list.push_back(s->deployments[i]);
    std::uniform_real_distribution<double> uniform(1e-12, 1.0);
    std::vector<std::pair<double, size_t>> keys;
    keys.reserve(list.size());
    for (size_t i = 0; i < list.size(); ++i) {
      keys.emplace_back(std::log(uniform(rng)) / list[i]->weight, i);
    }
    std::sort(keys.begin(), keys.end(), [](auto& a, auto& b) { return a.first > b.first; });
    std::vector<std::shared_ptr<const Deployment>> ordered;
    ordered.reserve(list.size());
    for (auto& [k, i] : keys) ordered.push_back(std::move(list[i]));
    benchmark::DoNotOptimize(ordered);
  }
  state.counters["allocs/decision"] =
      static_cast<double>(allocations.load() - before) / static_cast<double>(state.iterations());
}

BENCHMARK(BM_Baseline_PreviousVectorShuffle);
BENCHMARK(BM_Select_SimpleShuffle);
BENCHMARK(BM_Select_LeastBusy);
BENCHMARK(BM_Select_UsageBased);
BENCHMARK(BM_Select_LatencyBased);
BENCHMARK(BM_Select_CostBased);
BENCHMARK(BM_PlanAndRecord_SimpleShuffle);

}  // namespace
}  // namespace switchyard

BENCHMARK_MAIN();
