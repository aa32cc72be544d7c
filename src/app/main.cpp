// switchyard: wiring only. Loads the config (or the environment, or the demo mock), starts
// the workers, and turns signals into reloads and a graceful drain.

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <csignal>
#include <iostream>
#include <thread>

#include "app/admin_cli.hpp"
#include "app/cli.hpp"
#include "app/demo_upstream.hpp"
#include "config/loader.hpp"
#include "config/snapshot_source.hpp"
#include "core/log.hpp"
#include "server/bind_policy.hpp"
#include "server/gateway.hpp"
#include "server/runtime_builder.hpp"
#include "stages/cache/cache_admin.hpp"
#include "stages/guardrails/guardrail_metrics.hpp"
#include "telemetry/deployment_health_metrics.hpp"
#include "telemetry/shared_limits_metrics.hpp"

namespace sy = switchyard;
namespace asio = boost::asio;

namespace {

void printDiagnostics(const sy::LoadResult& r) {
  for (const auto& d : r.diagnostics) std::cerr << sy::formatDiagnostic(d) << "\n";
}

sy::LoadResult loadConfig(const std::string& path, const sy::Environment& env, bool strict) {
  auto result = sy::loadConfigFile(path, env);
  if (strict) sy::makeStrict(result);
  return result;
}

int checkConfig(const std::string& path, bool strict) {
  auto result = loadConfig(path, sy::processEnvironment(), strict);
  if (!result.ok()) {
    printDiagnostics(result);
    std::cerr << "config is not valid: " << path << "\n";
    return 1;
  }
  std::cout << sy::describeSnapshot(*result.snapshot, result.diagnostics);
  return 0;
}

// The command line's access-log options win over every config, reloaded ones too.
std::optional<sy::AccessLogOverride> accessLogOverride(const sy::CliOptions& cli) {
  if (!cli.accessLogFile.empty()) {
    return sy::AccessLogOverride{sy::TelemetrySettings::AccessLog::kFile, cli.accessLogFile};
  }
  if (cli.accessLog) return sy::AccessLogOverride{sy::TelemetrySettings::AccessLog::kStdout, {}};
  return std::nullopt;
}

sy::LogLevel parseLevel(const std::string& s) {
  if (s == "debug") return sy::LogLevel::kDebug;
  if (s == "warn") return sy::LogLevel::kWarn;
  if (s == "error") return sy::LogLevel::kError;
  return sy::LogLevel::kInfo;
}

int serve(const sy::CliOptions& cli) {
  sy::setLogLevel(parseLevel(cli.logLevel));
  const auto env = sy::processEnvironment();
  sy::DemoUpstream mock;
  std::shared_ptr<const sy::Snapshot> snapshot;
  if (!cli.configPath.empty()) {
    auto result = loadConfig(cli.configPath, env, cli.strict);
    printDiagnostics(result);
    if (!result.ok()) {
      std::cerr << "config is not valid: " << cli.configPath << "\n";
      return 1;
    }
    snapshot = result.snapshot;
  } else {
    auto result = sy::snapshotFromEnvironment(env);
    if (!result.ok()) {
      printDiagnostics(result);
      return 1;
    }
    snapshot = result.snapshot;
    const bool noProvider = snapshot->deployments.empty() && snapshot->wildcards.empty();
    // Without any key the demo mock serves, which the log line below says; the loader's
    // "no models are configured" warning would only confuse.
    if (!noProvider) printDiagnostics(result);
    if (noProvider) {
      const auto mockPort = mock.start();
      if (!mockPort) {
        std::cerr << "error: " << mockPort.error().message << "\n";
        return 1;
      }
      auto base = sy::parseUrl("http://127.0.0.1:" + std::to_string(*mockPort) + "/v1");
      auto mockSnapshot =
          std::make_shared<sy::Snapshot>(*sy::snapshotForMock(*base, snapshot->server));
      mockSnapshot->masterKey = snapshot->masterKey;  // LITELLM_MASTER_KEY still applies
      snapshot = std::move(mockSnapshot);
      sy::logInfo("no provider API key in the environment: serving the mock provider (pid " +
                  std::to_string(mock.pid()) + ")");
    }
  }

  // Its telemetry outputs are started before the gateway and stopped after it: workers write to
  // them until they stop.
  sy::RuntimeBuilder runtime(accessLogOverride(cli));
  if (auto built = runtime.build(*snapshot, nullptr)) {
    snapshot = std::move(*built);
  } else {
    std::cerr << "error: " << built.error().message << "\n";
    return 1;
  }
  sy::TelemetrySinks& telemetry = *runtime.telemetry();

  const auto bind = sy::chooseBindAddress(*snapshot, cli.host, cli.allowUnauthenticated);
  if (bind.refusal) {
    std::cerr << "error: " << *bind.refusal << "\n";
    return 1;
  }
  for (const auto& w : bind.warnings) {
    sy::logWarn("**************** " + w + " ****************");
  }
  sy::GatewayOptions options;
  options.host = bind.host;
  options.port = cli.port.value_or(snapshot->server.port);
  unsigned workers = cli.workers.value_or(snapshot->server.workers);
  if (workers == 0) workers = std::max(1u, std::thread::hardware_concurrency());
  options.workers = workers;

  // Signals are caught from before the port is announced: a SIGTERM right after the
  // "listening" line must drain, not kill.
  asio::io_context control;
  asio::signal_set signals(control, SIGINT, SIGTERM, SIGHUP);

  sy::SnapshotSource source(snapshot);
  sy::Gateway gateway(source, options);
  telemetry.registerMetrics(gateway.metrics());
  gateway.metrics().addCollector(sy::deploymentHealthCollector(source));
  gateway.metrics().addCollector(sy::guardrailCollector(source));
  gateway.metrics().addCollector(sy::cacheMetricsCollector(source));
  gateway.metrics().addCollector(sy::sharedLimitsCollector(source));
  auto port = gateway.listen();
  if (!port) {
    std::cerr << "error: " << port.error().message << "\n";
    return 1;
  }
  gateway.start();
  std::cout << "switchyard listening on " << options.host << ":" << *port << std::endl;
  sy::logInfo("serving " + std::to_string(snapshot->modelNames().size()) + " model names from " +
              snapshot->source + " with " + std::to_string(workers) + " workers");
  sy::logInfo(telemetry.describe());

  // The reloaded config's runtime replaces the running one whole, or not at all.
  auto reload = [&]() -> sy::Result<void> {
    auto r = loadConfig(cli.configPath, env, cli.strict);
    printDiagnostics(r);
    if (!r.ok()) return sy::Error::make(sy::ErrorClass::kBadRequest, "the config is not valid");
    auto built = runtime.build(*r.snapshot, source.get().get());
    if (!built) return built.error();
    source.set(*built);
    return {};
  };
  std::function<void(const boost::system::error_code&, int)> onSignal =
      [&](const boost::system::error_code& ec, int signo) {
        if (ec) return;
        if (signo == SIGHUP) {
          if (cli.configPath.empty()) {
            sy::logWarn("SIGHUP: no config file to reload");
          } else if (auto reloaded = reload(); !reloaded) {
            sy::logError("config reload failed: " + reloaded.error().message +
                         "; keeping the running config");
          } else {
            sy::logInfo("config reloaded from " + cli.configPath + "; " + telemetry.describe());
          }
          signals.async_wait(onSignal);
          return;
        }
        sy::logInfo("shutting down: draining in-flight requests");
      };
  signals.async_wait(onSignal);
  control.run();

  const int left = gateway.drainAndStop(source.get()->server.drainTimeout);
  if (left > 0) sy::logWarn(std::to_string(left) + " connections cut at the drain timeout");
  runtime.stop();  // writes every queued spend-log row
  sy::logInfo("stopped");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::signal(SIGPIPE, SIG_IGN);
  if (argc > 1 && sy::isAdminCommand(argv[1])) {
    return sy::runAdminCli(std::vector<std::string>(argv + 1, argv + argc));
  }
  auto parsed = sy::parseCli(std::vector<std::string>(argv + 1, argv + argc));
  if (!parsed.options) {
    std::cerr << "error: " << parsed.error << "\n\n" << sy::usageText();
    return 2;
  }
  const auto& cli = *parsed.options;
  try {
    switch (cli.command) {
      case sy::CliOptions::Command::kHelp:
        std::cout << sy::usageText();
        return 0;
      case sy::CliOptions::Command::kVersion:
        std::cout << "switchyard " SWITCHYARD_VERSION "\n";
        return 0;
      case sy::CliOptions::Command::kCheckConfig:
        return checkConfig(cli.configPath, cli.strict);
      case sy::CliOptions::Command::kServe:
        return serve(cli);
    }
  } catch (const std::exception& e) {
    std::cerr << "fatal: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
