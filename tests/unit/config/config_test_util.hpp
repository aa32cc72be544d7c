#pragma once
// Shared helpers for the config loader tests: a map-backed Environment, a one-model config and
// diagnostic lookups.

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <string_view>

#include "config/loader.hpp"

namespace switchyard::testing {

inline Environment mapEnvironment(std::map<std::string, std::string, std::less<>> vars) {
  return [vars = std::move(vars)](std::string_view name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

inline std::string allDiagnostics(const LoadResult& r) {
  std::string out;
  for (const auto& d : r.diagnostics) out += formatDiagnostic(d) + "\n";
  return out;
}

inline size_t countErrors(const LoadResult& r) {
  size_t n = 0;
  for (const auto& d : r.diagnostics) n += d.severity == ConfigDiagnostic::Severity::kError;
  return n;
}

// Passes when a diagnostic with exactly this path and severity mentions `text`.
inline ::testing::AssertionResult hasDiagnostic(const LoadResult& r,
                                                ConfigDiagnostic::Severity severity,
                                                std::string_view path, std::string_view text) {
  for (const auto& d : r.diagnostics) {
    if (d.severity == severity && d.path == path && d.message.find(text) != std::string::npos) {
      return ::testing::AssertionSuccess();
    }
  }
  return ::testing::AssertionFailure()
         << "no " << (severity == ConfigDiagnostic::Severity::kError ? "error" : "warning")
         << " at '" << path << "' containing '" << text << "'; got:\n"
         << allDiagnostics(r);
}

inline ::testing::AssertionResult hasError(const LoadResult& r, std::string_view path,
                                           std::string_view text = "") {
  return hasDiagnostic(r, ConfigDiagnostic::Severity::kError, path, text);
}

inline ::testing::AssertionResult hasWarning(const LoadResult& r, std::string_view path,
                                             std::string_view text = "") {
  return hasDiagnostic(r, ConfigDiagnostic::Severity::kWarning, path, text);
}

// A config of one model group with `extra` (further top-level sections) after it, loaded with
// an empty environment: for the tests of one section's keys.
inline LoadResult loadWithOneModel(std::string_view extra) {
  return loadConfigText(std::string(R"yaml(
model_list:
  - model_name: m
    litellm_params: {model: openai/m, api_key: k}
)yaml") + std::string(extra),
                        mapEnvironment({}), "test");
}

}  // namespace switchyard::testing
