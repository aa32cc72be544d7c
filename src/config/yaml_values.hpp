#pragma once
// Internal to config/: reading YAML nodes as the loader's value types with path-qualified
// diagnostics. Scalars resolve the way LiteLLM's PyYAML (YAML 1.1) does, so a value means the
// same thing here as in LiteLLM; "os.environ/NAME" strings resolve through the Environment.

#include <yaml-cpp/yaml.h>

#include <boost/json/value.hpp>
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/loader.hpp"
#include "core/url.hpp"

namespace switchyard::config_detail {

inline constexpr std::string_view kEnvPrefix = "os.environ/";

// Collects diagnostics and answers environment lookups, with the config's own
// environment_variables layered over the process environment.
class ParseContext {
 public:
  ParseContext(const Environment& env, std::vector<ConfigDiagnostic>& diagnostics)
      : env_(env), diagnostics_(diagnostics) {}

  void warn(std::string path, std::string message);
  void error(std::string path, std::string message);
  // A warning that --strict turns into an error (ConfigDiagnostic::strictError).
  void strictWarn(std::string path, std::string message);
  bool hasErrors() const;

  // Empty values count as unset, as LiteLLM treats "" keys as missing.
  std::optional<std::string> getenv(std::string_view name) const;
  void setOverride(std::string name, std::string value);

 private:
  const Environment& env_;
  std::vector<ConfigDiagnostic>& diagnostics_;
  std::map<std::string, std::string, std::less<>> overrides_;
};

std::string childPath(std::string_view parent, std::string_view key);
std::string indexPath(std::string_view parent, size_t index);

// A scalar classified by PyYAML's implicit resolvers; quoted or !!str scalars stay strings.
struct Scalar {
  enum class Kind { kNull, kBool, kInt, kFloat, kString } kind = Kind::kNull;
  bool boolean = false;
  int64_t integer = 0;
  double number = 0;
  std::string text;  // the source text, for every kind
};
Scalar classify(const YAML::Node& node);
// Same resolution for text that arrived as a string (quoted in YAML, or from the environment).
Scalar classifyText(std::string text);

bool isNull(const YAML::Node& node);

// A mapping's entries in document order. A repeated key keeps its last value (PyYAML does the
// same) and is reported; a non-scalar key is an error and skipped.
using MapEntries = std::vector<std::pair<std::string, YAML::Node>>;
MapEntries mapEntries(const YAML::Node& node, const std::string& path, ParseContext& ctx);

// What an unset os.environ/NAME reference means at this place in the config.
enum class UnsetEnv { kError, kWarning };

// Each reader reports problems at `path` and returns nullopt for null or invalid values.
std::optional<std::string> readString(const YAML::Node& node, const std::string& path,
                                      ParseContext& ctx, UnsetEnv unset = UnsetEnv::kError);
std::optional<double> readNumber(const YAML::Node& node, const std::string& path, ParseContext& ctx,
                                 double min, double max);
std::optional<int64_t> readInteger(const YAML::Node& node, const std::string& path,
                                   ParseContext& ctx, int64_t min, int64_t max);
std::optional<bool> readBool(const YAML::Node& node, const std::string& path, ParseContext& ctx);
// Seconds (number or numeric string, fractions allowed) as milliseconds; must be positive
// unless allowZero.
std::optional<std::chrono::milliseconds> readSeconds(const YAML::Node& node,
                                                     const std::string& path, ParseContext& ctx,
                                                     bool allowZero = false);
// LiteLLM's duration syntax ("7d", "24h", "15m", "30s", "1mo") or a number of seconds, as
// milliseconds; anything else is an error that says which forms are accepted.
std::optional<std::chrono::milliseconds> readDuration(const YAML::Node& node,
                                                      const std::string& path, ParseContext& ctx);
std::optional<Url> readUrl(const YAML::Node& node, const std::string& path, ParseContext& ctx,
                           UnsetEnv unset = UnsetEnv::kError);
std::optional<std::map<std::string, std::string>> readStringMap(const YAML::Node& node,
                                                                const std::string& path,
                                                                ParseContext& ctx);

// Any node as JSON: numbers → int64/double, booleans → bool, null → null, other scalars →
// strings with os.environ/ resolved (unset: warning and null).
boost::json::value toJson(const YAML::Node& node, const std::string& path, ParseContext& ctx);

}  // namespace switchyard::config_detail
