#include "config/loader.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "config/sections.hpp"

namespace switchyard {

using config_detail::ParseContext;

bool LoadResult::ok() const {
  return snapshot && std::none_of(diagnostics.begin(), diagnostics.end(), [](const auto& d) {
           return d.severity == ConfigDiagnostic::Severity::kError;
         });
}

namespace {

// Top-level LiteLLM sections Switchyard does not implement (yet).
constexpr std::array<std::string_view, 10> kTopLevelNotSupported = {
    "credential_list", "files_settings",    "assistant_settings", "mcp_servers",
    "mcp_aliases",     "finetune_settings", "callback_settings",  "vector_store_registry",
    "prompts",         "search_tools"};

// Values here behave as if exported before start, as LiteLLM copies them into os.environ.
void applyEnvironmentVariables(const YAML::Node& node, ParseContext& ctx) {
  const std::string path = "environment_variables";
  if (config_detail::isNull(node)) return;
  if (!node.IsMap()) {
    ctx.error(path, "expected a mapping of NAME: value");
    return;
  }
  for (auto& [name, value] : config_detail::mapEntries(node, path, ctx)) {
    const auto p = config_detail::childPath(path, name);
    if (config_detail::isNull(value)) {
      ctx.warn(p, "no value: ignored");
    } else if (!value.IsScalar()) {
      ctx.error(p, "expected a string value");
    } else {
      ctx.setOverride(name, value.Scalar());
    }
  }
}

void parseDocument(const YAML::Node& root, Snapshot& snap, ParseContext& ctx) {
  using namespace config_detail;
  if (isNull(root)) {
    ctx.error("", "the configuration is empty");
    return;
  }
  if (!root.IsMap()) {
    ctx.error("", "expected a mapping at the top level (model_list, router_settings, ...)");
    return;
  }
  YAML::Node sections[7];
  enum { kModelList, kRouter, kLitellm, kGeneral, kEnv, kSwitchyard, kGuardrails };
  for (auto& [key, value] : mapEntries(root, "", ctx)) {
    if (key == "model_list") {
      sections[kModelList] = value;
    } else if (key == "router_settings") {
      sections[kRouter] = value;
    } else if (key == "litellm_settings") {
      sections[kLitellm] = value;
    } else if (key == "general_settings") {
      sections[kGeneral] = value;
    } else if (key == "environment_variables") {
      sections[kEnv] = value;
    } else if (key == "switchyard_settings") {
      sections[kSwitchyard] = value;
    } else if (key == "guardrails") {
      sections[kGuardrails] = value;
    } else if (key == "include") {
      // The included files' model_list entries would be missing: routing would be wrong.
      ctx.error(key, "LiteLLM's include is not supported yet: merge the files into one");
    } else if (std::find(kTopLevelNotSupported.begin(), kTopLevelNotSupported.end(), key) !=
               kTopLevelNotSupported.end()) {
      ctx.warn(key, std::string(kNotSupported));
    } else {
      ctx.warn(key, std::string(kUnknownKey));
    }
  }
  // Order matters: variables first (os.environ/ may name them), defaults before deployments;
  // router_settings.timeout overrides litellm_settings.request_timeout as in LiteLLM's router,
  // and switchyard_settings, being specific to this server, override general_settings.
  applyEnvironmentVariables(sections[kEnv], ctx);
  parseGeneralSettings(sections[kGeneral], snap, ctx);
  parseSwitchyardSettings(sections[kSwitchyard], snap, ctx);
  parseLitellmSettings(sections[kLitellm], snap, ctx);
  parseRouterSettings(sections[kRouter], snap, ctx);
  parseModelList(sections[kModelList], snap, ctx);
  parseGuardrails(sections[kGuardrails], snap, ctx);
  checkRouterReferences(snap, ctx);
  adoptLitellmFallbacks(snap, ctx);
  buildRouterSettings(snap, ctx);
  resolveTelemetry(snap, ctx);
}

}  // namespace

LoadResult loadConfigText(std::string_view yaml, const Environment& env, std::string source) {
  LoadResult result;
  ParseContext ctx(env, result.diagnostics);
  auto snap = std::make_shared<Snapshot>();
  snap->source = std::move(source);
  // yaml-cpp reports syntax errors (and misuse) by throwing; nothing may escape the loader.
  try {
    parseDocument(YAML::Load(std::string(yaml)), *snap, ctx);
  } catch (const YAML::Exception& e) {
    std::string message = "invalid YAML";
    if (!e.mark.is_null()) {
      message += " at line " + std::to_string(e.mark.line + 1) + ", column " +
                 std::to_string(e.mark.column + 1);
    }
    ctx.error("", message + ": " + e.msg);
  } catch (const std::exception& e) {
    ctx.error("", std::string("cannot load the configuration: ") + e.what());
  }
  if (!ctx.hasErrors()) result.snapshot = std::move(snap);
  return result;
}

void makeStrict(LoadResult& result) {
  for (auto& d : result.diagnostics) {
    if (d.strictError) d.severity = ConfigDiagnostic::Severity::kError;
  }
  if (!result.ok()) result.snapshot.reset();
}

LoadResult loadConfigFile(const std::string& path, const Environment& env) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    LoadResult result;
    result.diagnostics.push_back({ConfigDiagnostic::Severity::kError, "",
                                  "cannot read '" + path + "': " + std::strerror(errno)});
    return result;
  }
  std::ostringstream text;
  text << in.rdbuf();
  return loadConfigText(text.str(), env, path);
}

}  // namespace switchyard
