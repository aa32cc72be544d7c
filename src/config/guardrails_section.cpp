// The top-level `guardrails:` list, as LiteLLM's users write it (config/guardrail_settings.hpp).
// Only the shape is checked here; pattern names and expressions are checked when the detectors
// are compiled (stages/guardrails/guardrail_set.cpp), which reports them with the same paths.
#include <algorithm>
#include <array>
#include <cctype>

#include "config/sections.hpp"

namespace switchyard::config_detail {

namespace {

// litellm_params keys LiteLLM's guardrails share that have no meaning for a built-in filter
// (credentials and addresses of a remote guardrail service).
constexpr std::array<std::string_view, 4> kRemoteOnlyKeys = {
    "api_key", "api_base", "guardrailIdentifier", "guardrailVersion"};

std::string upper(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = char(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::optional<GuardrailMode> parseMode(std::string_view m) {
  if (m == "pre_call") return GuardrailMode::kPreCall;
  if (m == "post_call") return GuardrailMode::kPostCall;
  if (m == "during_call") return GuardrailMode::kDuringCall;
  if (m == "logging_only") return GuardrailMode::kLoggingOnly;
  return std::nullopt;
}

void readModes(const YAML::Node& node, const std::string& path, GuardrailSpec& g,
               ParseContext& ctx) {
  auto one = [&](const YAML::Node& n, const std::string& p) {
    auto s = readString(n, p, ctx);
    if (!s) return;
    if (auto m = parseMode(*s)) {
      g.modes.push_back(*m);
    } else {
      ctx.error(p, "unknown mode '" + *s + "' (pre_call, post_call, during_call, logging_only)");
    }
  };
  if (node.IsSequence()) {
    for (size_t i = 0; i < node.size(); ++i) one(node[i], indexPath(path, i));
  } else {
    one(node, path);
  }
}

std::optional<GuardrailAction> readAction(const YAML::Node& node, const std::string& path,
                                          ParseContext& ctx) {
  auto s = readString(node, path, ctx);
  if (!s) return std::nullopt;
  const auto a = upper(*s);
  if (a == "BLOCK") return GuardrailAction::kBlock;
  if (a == "MASK") return GuardrailAction::kMask;
  if (a == "REDACT") return GuardrailAction::kRedact;
  if (a == "LOG") return GuardrailAction::kLog;
  ctx.error(path, "unknown action '" + *s + "' (BLOCK, MASK; Switchyard also takes REDACT, LOG)");
  return std::nullopt;
}

void readPatterns(const YAML::Node& node, const std::string& path, GuardrailSpec& g,
                  ParseContext& ctx) {
  if (!node.IsSequence()) {
    ctx.error(path, "expected a list of patterns (- pattern_type: prebuilt ...)");
    return;
  }
  for (size_t i = 0; i < node.size(); ++i) {
    const auto p = indexPath(path, i);
    GuardrailRule rule;
    rule.path = p;
    std::string type = "prebuilt";
    bool actionSet = false;
    for (auto& [key, value] : mapEntries(node[i], p, ctx)) {
      const auto kp = childPath(p, key);
      if (key == "pattern_type") {
        if (auto s = readString(value, kp, ctx)) type = *s;
      } else if (key == "pattern_name" || key == "name") {
        if (auto s = readString(value, kp, ctx)) rule.name = *s;
      } else if (key == "pattern") {
        if (auto s = readString(value, kp, ctx)) rule.pattern = *s;
      } else if (key == "action") {
        if (auto a = readAction(value, kp, ctx)) rule.action = *a;
        actionSet = true;
      } else if (key == "description" || key == "display_name") {
        if (auto s = readString(value, kp, ctx)) rule.description = *s;
      } else {
        ctx.warn(kp, std::string(kUnknownKey));
      }
    }
    if (!actionSet) ctx.warn(p, "no action: BLOCK");
    if (type == "prebuilt") {
      rule.kind = GuardrailRule::Kind::kPrebuilt;
      if (rule.name.empty()) ctx.error(p, "a prebuilt pattern needs pattern_name");
    } else if (type == "regex") {
      rule.kind = GuardrailRule::Kind::kRegex;
      if (rule.pattern.empty()) ctx.error(p, "a regex pattern needs pattern");
      if (rule.name.empty()) rule.name = "custom_pattern";
    } else {
      ctx.error(childPath(p, "pattern_type"),
                "unknown pattern_type '" + type + "' (prebuilt, regex)");
      continue;
    }
    g.rules.push_back(std::move(rule));
  }
}

void readBlockedWords(const YAML::Node& node, const std::string& path, GuardrailSpec& g,
                      ParseContext& ctx) {
  if (!node.IsSequence()) {
    ctx.error(path, "expected a list of keywords (- keyword: ... action: BLOCK)");
    return;
  }
  for (size_t i = 0; i < node.size(); ++i) {
    const auto p = indexPath(path, i);
    GuardrailRule rule;
    rule.kind = GuardrailRule::Kind::kKeyword;
    rule.path = p;
    for (auto& [key, value] : mapEntries(node[i], p, ctx)) {
      const auto kp = childPath(p, key);
      if (key == "keyword") {
        if (auto s = readString(value, kp, ctx)) rule.pattern = *s;
      } else if (key == "action") {
        if (auto a = readAction(value, kp, ctx)) rule.action = *a;
      } else if (key == "description") {
        if (auto s = readString(value, kp, ctx)) rule.description = *s;
      } else {
        ctx.warn(kp, std::string(kUnknownKey));
      }
    }
    if (rule.pattern.empty()) {
      ctx.error(p, "a blocked word needs keyword");
      continue;
    }
    rule.name = rule.pattern;
    g.rules.push_back(std::move(rule));
  }
}

void readParams(const YAML::Node& node, const std::string& path, GuardrailSpec& g,
                ParseContext& ctx) {
  // Another guardrail's settings (a remote service's) are its own business: only what says
  // when it runs is read.
  const bool builtIn = node.IsMap() && node["guardrail"] && node["guardrail"].IsScalar() &&
                       node["guardrail"].Scalar() == "litellm_content_filter";
  for (auto& [key, value] : mapEntries(node, path, ctx)) {
    const auto kp = childPath(path, key);
    if (!builtIn && key != "guardrail" && key != "mode" && key != "default_on") continue;
    if (key == "guardrail") {
      if (auto s = readString(value, kp, ctx)) g.type = *s;
    } else if (key == "mode") {
      readModes(value, kp, g, ctx);
    } else if (key == "default_on") {
      if (auto b = readBool(value, kp, ctx)) g.defaultOn = *b;
    } else if (key == "patterns") {
      readPatterns(value, kp, g, ctx);
    } else if (key == "blocked_words") {
      readBlockedWords(value, kp, g, ctx);
    } else if (key == "pattern_redaction_format") {
      if (auto s = readString(value, kp, ctx)) {
        if (s->find("{pattern_name}") == std::string::npos) {
          ctx.error(kp, "must include the {pattern_name} placeholder");
        } else {
          g.patternRedactionFormat = *s;
        }
      }
    } else if (key == "keyword_redaction_tag") {
      if (auto s = readString(value, kp, ctx)) g.keywordRedactionTag = *s;
    } else if (key == "output_parse_pii") {
      if (auto b = readBool(value, kp, ctx)) g.restoreInAnswer = *b;
    } else if (key == "categories" || key == "blocked_words_file" || key == "category_file") {
      ctx.warn(kp, std::string(kNotSupported));
    } else if (std::find(kRemoteOnlyKeys.begin(), kRemoteOnlyKeys.end(), key) !=
               kRemoteOnlyKeys.end()) {
      ctx.warn(kp, "not used by a built-in filter");
    } else {
      ctx.warn(kp, std::string(kUnknownKey));
    }
  }
}

}  // namespace

void parseGuardrails(const YAML::Node& node, Snapshot& snap, ParseContext& ctx) {
  const std::string path = "guardrails";
  if (isNull(node)) return;
  if (!node.IsSequence()) {
    ctx.error(path, "expected a list of guardrails (- guardrail_name: ... litellm_params: ...)");
    return;
  }
  for (size_t i = 0; i < node.size(); ++i) {
    const auto p = indexPath(path, i);
    GuardrailSpec g;
    g.path = p;
    for (auto& [key, value] : mapEntries(node[i], p, ctx)) {
      const auto kp = childPath(p, key);
      if (key == "guardrail_name") {
        if (auto s = readString(value, kp, ctx)) g.name = *s;
      } else if (key == "litellm_params") {
        readParams(value, kp, g, ctx);
      } else if (key == "guardrail_info" || key == "guardrail_id") {
        // Descriptive fields of LiteLLM's UI: nothing to enforce.
      } else {
        ctx.warn(kp, std::string(kUnknownKey));
      }
    }
    if (g.name.empty()) {
      ctx.error(p, "a guardrail needs guardrail_name");
      continue;
    }
    for (const auto& other : snap.guardrails) {
      if (other.name == g.name) ctx.error(childPath(p, "guardrail_name"), "used twice: " + g.name);
    }
    if (g.modes.empty()) ctx.error(childPath(p, "litellm_params.mode"), "a guardrail needs mode");
    if (g.type != "litellm_content_filter") {
      g.supported = false;
      // A policy that is on for every request but cannot be enforced must not pass silently.
      if (g.defaultOn) {
        ctx.error(p, "guardrail '" + g.type + "' is not implemented by Switchyard, and " +
                         "default_on would leave every request unchecked");
      } else {
        ctx.warn(p, "guardrail '" + g.type +
                        "' is not implemented by Switchyard: requests that ask for it are refused");
      }
    } else if (g.rules.empty()) {
      ctx.warn(childPath(p, "litellm_params"), "no patterns or blocked_words: it checks nothing");
    }
    snap.guardrails.push_back(std::move(g));
  }
}

}  // namespace switchyard::config_detail
