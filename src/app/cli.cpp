#include "app/cli.hpp"

#include <charconv>

namespace switchyard {

namespace {

template <class T>
bool parseNumber(const std::string& text, T& out, T min, T max) {
  T value{};
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || p != text.data() + text.size() || value < min || value > max) {
    return false;
  }
  out = value;
  return true;
}

}  // namespace

std::string usageText() {
  return R"(switchyard - a self-hosted, OpenAI-compatible LLM gateway

Usage:
  switchyard serve [--config FILE] [--host H] [--port P] [--workers N] [--strict]
                   [--allow-unauthenticated] [--access-log | --access-log-file FILE]
                   [--log-level debug|info|warn|error]
  switchyard check-config FILE [--strict]
  switchyard keys|teams|users ...   (virtual keys, teams and users; docs/governance.md)
  switchyard --version | --help

serve         Start the gateway. Without --config, every provider whose API key is in the
              environment (OPENAI_API_KEY, ANTHROPIC_API_KEY, GEMINI_API_KEY, ...) is served as
              "<provider>/<model>"; with no key at all, the mock-provider binary beside
              this one is started and answers.
              SIGTERM/SIGINT drain in-flight requests; SIGHUP reloads the config file.
              Listens on 127.0.0.1 unless a master key is set or --host is given; an open
              address with provider keys and no master key needs --allow-unauthenticated.
check-config  Validate a LiteLLM-style config.yaml and print what was understood.
--strict      A deployment that would be disabled (unknown provider, invalid model string)
              is an error instead of a warning.
)";
}

CliParse parseCli(const std::vector<std::string>& args) {
  CliOptions o;
  size_t i = 0;
  if (i < args.size() && !args[i].starts_with("-")) {
    const std::string& cmd = args[i++];
    if (cmd == "serve") {
      o.command = CliOptions::Command::kServe;
    } else if (cmd == "check-config") {
      o.command = CliOptions::Command::kCheckConfig;
      if (i < args.size() && args[i] == "--strict") {
        o.strict = true;
        ++i;
      }
      if (i >= args.size()) return {std::nullopt, "check-config needs a FILE"};
      o.configPath = args[i++];
    } else if (cmd == "version") {
      o.command = CliOptions::Command::kVersion;
    } else if (cmd == "help") {
      o.command = CliOptions::Command::kHelp;
    } else {
      return {std::nullopt, "unknown command '" + cmd + "'"};
    }
  }
  for (; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&](std::string& out) {
      if (i + 1 >= args.size()) return false;
      out = args[++i];
      return true;
    };
    std::string v;
    if (a == "--help" || a == "-h") {
      o.command = CliOptions::Command::kHelp;
    } else if (a == "--version" || a == "-v") {
      o.command = CliOptions::Command::kVersion;
    } else if (a == "--config" || a == "-c") {
      if (!value(o.configPath)) return {std::nullopt, "--config needs a FILE"};
    } else if (a == "--host") {
      if (!value(v)) return {std::nullopt, "--host needs an address"};
      o.host = v;
    } else if (a == "--port" || a == "-p") {
      uint16_t port = 0;
      if (!value(v) || !parseNumber<uint16_t>(v, port, 0, 65535)) {
        return {std::nullopt, "--port needs a number from 0 to 65535"};
      }
      o.port = port;
    } else if (a == "--workers" || a == "--num_workers") {
      unsigned n = 0;
      if (!value(v) || !parseNumber<unsigned>(v, n, 1, 1024)) {
        return {std::nullopt, "--workers needs a number from 1 to 1024"};
      }
      o.workers = n;
    } else if (a == "--strict") {
      o.strict = true;
    } else if (a == "--allow-unauthenticated") {
      o.allowUnauthenticated = true;
    } else if (a == "--access-log") {
      o.accessLog = true;
    } else if (a == "--access-log-file") {
      if (!value(o.accessLogFile) || o.accessLogFile.empty()) {
        return {std::nullopt, "--access-log-file needs a FILE"};
      }
    } else if (a == "--log-level") {
      if (!value(o.logLevel)) return {std::nullopt, "--log-level needs a level"};
      if (o.logLevel != "debug" && o.logLevel != "info" && o.logLevel != "warn" &&
          o.logLevel != "error") {
        return {std::nullopt, "--log-level must be debug, info, warn or error"};
      }
    } else {
      return {std::nullopt, "unknown option '" + a + "'"};
    }
  }
  return {o, {}};
}

}  // namespace switchyard
