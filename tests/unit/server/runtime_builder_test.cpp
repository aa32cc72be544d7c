// The runtime a config becomes: prices, governance, telemetry outputs, Vertex AI token caches and
// deployment state swapped with the snapshot, while a request that started before a reload keeps
// what it started with.

#include "server/runtime_builder.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <sstream>
#include <thread>

#include "config/config_test_util.hpp"
#include "config/loader.hpp"
#include "config/snapshot_source.hpp"
#include "providers/vertex/vertex_auth.hpp"
#include "stages/accounting/price_table.hpp"
#include "stages/accounting/request_cost.hpp"
#include "stages/request_context.hpp"
#include "telemetry/request_metrics.hpp"
#include "telemetry/request_observation.hpp"
#include "telemetry/span_exporter.hpp"

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
  // `extra` continues general_settings; `models` follow gpt-x in model_list.
  std::shared_ptr<const Snapshot> parse(const std::string& extra = "",
                                        const std::string& models = "") {
    const std::string yaml =
        "model_list:\n"
        "  - model_name: gpt-x\n"
        "    litellm_params: {model: openai/gpt-x, api_key: sk-test}\n" +
        models +
        "general_settings:\n"
        "  model_prices_path: " +
        pricesPath_ + "\n" + extra;
    auto r = loadConfigText(yaml, testing::mapEnvironment(env_), "test");
    EXPECT_TRUE(r.ok()) << testing::allDiagnostics(r);
    return r.snapshot;
  }
  std::shared_ptr<const Snapshot> build(const Snapshot* previous, const std::string& extra = "",
                                        const std::string& models = "") {
    auto built = builder_.build(*parse(extra, models), previous);
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
  std::map<std::string, std::string, std::less<>> env_;
  RuntimeBuilder builder_;
};

// One request to a model endpoint, from its start on `snapshot` to end(): what telemetry
// records of it (its access-log line, its server span) goes where that snapshot says.
class InFlightRequest {
 public:
  InFlightRequest(std::shared_ptr<const Snapshot> snapshot, std::string id) {
    ctx_.snapshot = std::move(snapshot);
    ctx_.requestId = std::move(id);
    ctx_.start = std::chrono::steady_clock::now();
    observation_.emplace(metrics_, ctx_, rng_);
  }
  void end() { observation_.reset(); }

 private:
  WorkerMetrics metrics_;
  FastRandom rng_{1};
  RequestContext ctx_;
  std::optional<RequestObservation> observation_;
};

std::string traces(uint16_t port) {
  return "switchyard_settings:\n  otel: true\n  otel_endpoint: http://127.0.0.1:" +
         std::to_string(port) + "/v1/traces\n";
}

std::string accessLog(const fs::path& file) {
  return "switchyard_settings:\n  access_log: " + file.string() + "\n";
}

std::string contents(const fs::path& file) {
  std::ostringstream text;
  text << std::ifstream(file).rdbuf();
  return text.str();
}

// The log writer flushes on a timer of its own.
bool eventually(const std::function<bool()>& done) {
  for (int i = 0; i < 200 && !done(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return done();
}

std::string vertexModel(const std::string& name, const std::string& credentials) {
  return "  - model_name: " + name +
         "\n    litellm_params: {model: vertex_ai/gemini-2.5-pro, vertex_project: p, "
         "vertex_credentials: " +
         credentials + "}\n";
}

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

TEST_F(RuntimeBuilderTest, ARequestBegunBeforeAReloadThatReplacesTheExporterSendsItsSpansThere) {
  writePrices(1e-6);
  // No export within the test: the spans wait in the exporters' queues, where they are counted.
  env_["OTEL_BSP_SCHEDULE_DELAY"] = "600000";
  // Ports nobody listens on: the spans left at the end fail to export at once.
  const auto first = build(nullptr, traces(1));
  ASSERT_TRUE(first->spanExporter);
  InFlightRequest begun(first, "before");
  const auto second = build(first.get(), traces(2));
  ASSERT_TRUE(second->spanExporter);
  EXPECT_NE(second->spanExporter, first->spanExporter);

  begun.end();
  EXPECT_EQ(first->spanExporter->queued(), 1u);
  EXPECT_EQ(second->spanExporter->queued(), 0u);
  InFlightRequest(second, "after").end();
  EXPECT_EQ(first->spanExporter->queued(), 1u);
  EXPECT_EQ(second->spanExporter->queued(), 1u);

  // Tracing off in the config: new requests start no trace, the running exporter is no one's.
  const auto third = build(second.get());
  EXPECT_FALSE(third->spanExporter);
  InFlightRequest(third, "untraced").end();
  EXPECT_EQ(second->spanExporter->queued(), 1u);
}

TEST_F(RuntimeBuilderTest, ARequestBegunBeforeAReloadThatMovesTheAccessLogWritesToTheOldFile) {
  writePrices(1e-6);
  const fs::path firstLog = dir_ / "first.log";
  const fs::path secondLog = dir_ / "second.log";
  const auto first = build(nullptr, accessLog(firstLog));
  InFlightRequest begun(first, "before");
  const auto second = build(first.get(), accessLog(secondLog));
  ASSERT_TRUE(first->accessLogSink && second->accessLogSink);
  EXPECT_NE(first->accessLogSink, second->accessLogSink);

  begun.end();
  InFlightRequest(second, "after").end();
  EXPECT_TRUE(eventually([&] {
    return contents(firstLog).find(R"("request_id":"before")") != std::string::npos &&
           contents(secondLog).find(R"("request_id":"after")") != std::string::npos;
  }));
  EXPECT_EQ(contents(firstLog).find("after"), std::string::npos);
  EXPECT_EQ(contents(secondLog).find("before"), std::string::npos);

  // A file that cannot be opened fails nothing: the new runtime keeps writing where it did.
  const auto third = build(second.get(), accessLog(dir_ / "missing-dir" / "x.log"));
  EXPECT_EQ(third->accessLogSink, second->accessLogSink);
}

TEST_F(RuntimeBuilderTest, TheCommandLinesAccessLogWinsOverEveryConfig) {
  writePrices(1e-6);
  const fs::path chosen = dir_ / "cli.log";
  RuntimeBuilder cli(AccessLogOverride{TelemetrySettings::AccessLog::kFile, chosen.string()});
  auto first = cli.build(*parse(), nullptr);
  ASSERT_TRUE(first);
  ASSERT_TRUE((*first)->accessLogSink);
  EXPECT_EQ((*first)->server.telemetry.accessLogPath, chosen.string());
  auto second = cli.build(*parse(accessLog(dir_ / "config.log")), first->get());
  ASSERT_TRUE(second);
  EXPECT_EQ((*second)->accessLogSink, (*first)->accessLogSink);
  InFlightRequest(*second, "cli").end();
  EXPECT_TRUE(eventually([&] { return contents(chosen).find(R"("cli")") != std::string::npos; }));
  EXPECT_FALSE(fs::exists(dir_ / "config.log"));
  cli.stop();
}

TEST_F(RuntimeBuilderTest, VertexTokenCachesArePerCredentialsAndOutliveAReload) {
  writePrices(1e-6);
  auto caches = [](const std::shared_ptr<const Snapshot>& s) {
    std::vector<std::shared_ptr<VertexTokenCache>> out;
    for (const auto& d : s->deployments) out.push_back(d->vertexTokens);
    return out;
  };
  const auto first = build(nullptr, "",
                           vertexModel("a", "/keys/one.json") + vertexModel("b", "/keys/one.json") +
                               vertexModel("c", "/keys/two.json"));
  const auto was = caches(first);
  ASSERT_EQ(was.size(), 4u);
  EXPECT_FALSE(was[0]) << "gpt-x is not a Vertex AI deployment";
  ASSERT_TRUE(was[1] && was[3]);
  EXPECT_EQ(was[1], was[2]) << "the same credentials share one token";
  EXPECT_NE(was[1], was[3]);
  EXPECT_EQ(was[1]->credentials(), "/keys/one.json");

  // A reload keeps the token of credentials it still names, and only theirs.
  const auto second =
      build(first.get(), "",
            vertexModel("a", "/keys/two.json") + vertexModel("b", "/keys/one.json") +
                vertexModel("c", "/keys/three.json"));
  const auto is = caches(second);
  EXPECT_EQ(is[1], was[3]);
  EXPECT_EQ(is[2], was[1]);
  ASSERT_TRUE(is[3]);
  EXPECT_NE(is[3], was[1]);
  EXPECT_NE(is[3], was[3]);
  EXPECT_EQ(is[3]->credentials(), "/keys/three.json");
}

}  // namespace
}  // namespace switchyard
