// The runtime a config becomes: prices, governance and deployment state swapped with the
// snapshot, while a request that started before a reload keeps what it started with.

#include "server/runtime_builder.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "config/config_test_util.hpp"
#include "config/loader.hpp"
#include "config/snapshot_source.hpp"
#include "stages/accounting/price_table.hpp"
#include "stages/accounting/request_cost.hpp"
#include "stages/request_context.hpp"

namespace switchyard {
namespace {

namespace fs = std::filesystem;

class RuntimeBuilderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("switchyard-runtime-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override {
    builder_.stop();
    fs::remove_all(dir_);
  }

  std::string write(const std::string& name, const std::string& text) {
    const auto path = (dir_ / name).string();
    std::ofstream(path) << text;
    return path;
  }
  void writePrices(double inputPerToken) {
    pricesPath_ = write("prices.json", R"({"gpt-x": {"input_cost_per_token": )" +
                                           std::to_string(inputPerToken) +
                                           R"(, "output_cost_per_token": 0}})");
  }
  std::shared_ptr<const Snapshot> parse(const std::string& extra = "") {
    const std::string yaml =
        "model_list:\n"
        "  - model_name: gpt-x\n"
        "    litellm_params: {model: openai/gpt-x, api_key: sk-test}\n"
        "general_settings:\n"
        "  model_prices_path: " +
        pricesPath_ + "\n" + extra;
    auto r = loadConfigText(yaml, testing::mapEnvironment({}), "test");
    EXPECT_TRUE(r.ok()) << testing::allDiagnostics(r);
    return r.snapshot;
  }
  std::shared_ptr<const Snapshot> build(const Snapshot* previous, const std::string& extra = "") {
    auto built = builder_.build(*parse(extra), previous);
    EXPECT_TRUE(built) << built.error().message;
    return built ? *built : nullptr;
  }
  // What a request that started on `snapshot` is charged for 1000 prompt tokens.
  static double costOn(std::shared_ptr<const Snapshot> snapshot) {
    RequestContext ctx;
    ctx.snapshot = std::move(snapshot);
    ctx.deployment = ctx.snapshot->deployments.front();
    ctx.usage.present = true;
    ctx.usage.promptTokens = 1000;
    computeCost(ctx);
    EXPECT_TRUE(ctx.costKnown);
    return ctx.costUsd;
  }

  fs::path dir_;
  std::string pricesPath_;
  RuntimeBuilder builder_;
};

TEST_F(RuntimeBuilderTest, APriceChangeReachesNewRequestsOnlyAfterTheSwap) {
  writePrices(1e-6);
  SnapshotSource source(build(nullptr));
  SnapshotCache worker(source);
  const auto oldRequest = worker.get();  // a request in flight across the reload
  EXPECT_DOUBLE_EQ(costOn(oldRequest), 1e-3);

  writePrices(3e-6);
  EXPECT_DOUBLE_EQ(costOn(worker.get()), 1e-3);  // the file alone changes nothing
  source.set(build(source.get().get()));
  EXPECT_DOUBLE_EQ(costOn(worker.get()), 3e-3);
  EXPECT_DOUBLE_EQ(costOn(oldRequest), 1e-3);
}

TEST_F(RuntimeBuilderTest, ABrokenPriceFileFailsTheReloadAndKeepsTheRunningRuntime) {
  writePrices(1e-6);
  const auto running = build(nullptr);
  write("prices.json", R"({"gpt-x": {"input_cost_per_token": -1}})");
  auto next = builder_.build(*parse(), running.get());
  ASSERT_FALSE(next);
  EXPECT_NE(next.error().message.find("gpt-x"), std::string::npos);
  EXPECT_DOUBLE_EQ(costOn(running), 1e-3);
}

TEST_F(RuntimeBuilderTest, DeploymentStateAndGovernanceOutliveAReload) {
  writePrices(1e-6);
  const std::string governed =
      "  master_key: sk-master-1\n  database_url: sqlite://" + (dir_ / "keys.db").string() + "\n";
  const auto first = build(nullptr, governed);
  ASSERT_TRUE(first->governanceService);
  ASSERT_TRUE(deploymentState(*first->deployments[0]).begin(RouterClock::now()));

  const auto second = build(first.get(), governed + "  store_prompts_in_spend_logs: true\n");
  EXPECT_EQ(second->governanceService, first->governanceService);
  EXPECT_EQ(deploymentStates(second)[0], deploymentStates(first)[0]);
  EXPECT_EQ(deploymentStates(second)[0]->inFlight(), 1);
  // Settings the request path reads come from the snapshot, not from the running instance.
  EXPECT_FALSE(first->governance.storeBodies);
  EXPECT_TRUE(second->governance.storeBodies);

  // Governance off in the config: new requests see none, the instance stays for a later one.
  const auto third = build(second.get());
  EXPECT_FALSE(third->governanceService);
  EXPECT_EQ(build(third.get(), governed)->governanceService, first->governanceService);
}

}  // namespace
}  // namespace switchyard
