#pragma once
// Turns LiteLLM's proxy config.yaml (or, without a file, the environment) into a validated
// Snapshot. Parsing never throws: every problem becomes a diagnostic that names the YAML path, so
// `switchyard check-config` can list them all at once instead of stopping at the first.

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/snapshot.hpp"
#include "core/url.hpp"

namespace switchyard {

// Looks up an environment variable; getenv in the binary, a map in tests.
using Environment = std::function<std::optional<std::string>(std::string_view)>;
Environment processEnvironment();

struct ConfigDiagnostic {
  enum class Severity { kWarning, kError } severity = Severity::kError;
  std::string path;  // "model_list[2].litellm_params.api_base"; "" for the whole document
  std::string message;
  // A warning that `--strict` turns into an error: a deployment left out of an otherwise
  // usable config (unknown provider, invalid model string), which LiteLLM too would load and
  // fail only at request time.
  bool strictError = false;
};

struct LoadResult {
  // Null whenever a diagnostic is an error: the data path only ever sees a valid snapshot.
  std::shared_ptr<const Snapshot> snapshot;
  std::vector<ConfigDiagnostic> diagnostics;
  bool ok() const;  // no errors and a snapshot
};

LoadResult loadConfigFile(const std::string& path, const Environment& env);
// `check-config --strict`, `serve --strict`: every strictError warning becomes an error, and the
// snapshot is dropped when there is one.
void makeStrict(LoadResult& result);
LoadResult loadConfigText(std::string_view yaml, const Environment& env, std::string source);

// No config file: LiteLLM-style wildcard routes ("openai/*", ...) for every provider whose api
// key variable is set; keyless local providers only when their api-base variable is set.
LoadResult snapshotFromEnvironment(const Environment& env);

// The no-key default: everything served by the bundled mock provider at `mockBase`.
std::shared_ptr<const Snapshot> snapshotForMock(const Url& mockBase, ServerSettings settings = {});

// Human-readable summary for `switchyard check-config`. Keys are masked, never printed whole.
std::string describeSnapshot(const Snapshot& s,
                             const std::vector<ConfigDiagnostic>& diagnostics = {});
std::string formatDiagnostic(const ConfigDiagnostic& d);  // "error: model_list[0]...: message"

// "sk-...abcd" for long keys, "****" for short ones, "(none)" for empty.
std::string maskSecret(std::string_view secret);

}  // namespace switchyard
