#pragma once
// Command-line parsing for the switchyard binary.

#include <optional>
#include <string>
#include <vector>

namespace switchyard {

struct CliOptions {
  enum class Command { kServe, kCheckConfig, kVersion, kHelp } command = Command::kServe;
  std::string configPath;
  std::optional<std::string> host;
  std::optional<uint16_t> port;
  std::optional<unsigned> workers;
  bool accessLog = false;     // --access-log: stdout
  std::string accessLogFile;  // --access-log-file FILE
  std::string logLevel = "info";
  bool strict = false;                // --strict: a disabled deployment is an error
  bool allowUnauthenticated = false;  // --allow-unauthenticated: open address, no master key
};

struct CliParse {
  std::optional<CliOptions> options;
  std::string error;  // set when options is empty
};

CliParse parseCli(const std::vector<std::string>& args);
std::string usageText();

}  // namespace switchyard
